import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCertFactory, type CertFactory } from '../../../test/certs.js';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { tlsPeer } from '../../../test/tls-peer.js';
import { tcp } from './index.js';

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const peer = async (...args: Parameters<typeof tcpPeer>) => {
  const p = await tcpPeer(...args);
  peers.push(p);
  return p;
};

let certs: CertFactory;
beforeAll(async () => {
  certs = await createCertFactory();
});
afterAll(async () => {
  await certs.close();
});

describe('tcp check', () => {
  it('passes when the port accepts a connection, with the connect phase', async () => {
    const p = await peer();
    const r = await runCheck(tcp, { host: '127.0.0.1', port: p.port });
    expect(r.outcome).toBe('ok');
    expect(r.message).toBe(`connected to 127.0.0.1:${p.port}`);
    expect(r.phases?.connect).toBeGreaterThanOrEqual(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(r.phases?.connect ?? 0);
  });

  it('fails with "connection refused" on a closed port', async () => {
    const port = await closedPort();
    const r = await runCheck(tcp, { host: '127.0.0.1', port });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('sends, and passes when the reply contains the expected text', async () => {
    const p = await peer((s) => s.on('data', (d) => s.write(`+${String(d).trim()}\r\n`)));
    const r = await runCheck(tcp, {
      host: '127.0.0.1',
      port: p.port,
      send: 'PONG\r\n',
      expect: '+PONG',
    });
    expect(r).toMatchObject({ outcome: 'ok', message: `127.0.0.1:${p.port} replied as expected` });
  });

  it('fails naming what came back when the reply does not match', async () => {
    const p = await peer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const r = await runCheck(tcp, { host: '127.0.0.1', port: p.port, expectPattern: '^\\+PONG' });
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      `127.0.0.1:${p.port} replied "SSH-2.0-OpenSSH_9.2\\r\\n", expected /^\\+PONG/`,
    );
  });

  it('times out against a peer that accepts and never answers', async () => {
    const p = await peer();
    const r = await runCheck(
      tcp,
      { host: '127.0.0.1', port: p.port, expect: 'hello' },
      { timeoutMs: 200 },
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 200ms (127.0.0.1:${p.port})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(190);
    expect(r.latencyMs).toBeLessThan(1500);
  });

  it('stops reading at maxBytes from a flooding peer', async () => {
    const p = await peer((s) => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (!s.destroyed && s.write(chunk));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    const r = await runCheck(tcp, {
      host: '127.0.0.1',
      port: p.port,
      expect: 'never',
      maxBytes: 100_000,
    });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/replied "x{80}", expected "never"/);
  });

  it('reports a peer that closes before answering', async () => {
    const p = await peer((s) => s.end());
    const r = await runCheck(tcp, { host: '127.0.0.1', port: p.port, expect: 'hello' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} replied "", expected "hello"`,
    });
  });

  it('fails on TLS against a plain TCP port', async () => {
    const p = await peer((s) => s.end('not tls'));
    const r = await runCheck(tcp, { host: '127.0.0.1', port: p.port, tls: true });
    expect(r.outcome).toBe('fail');
    expect(r.message).toContain(`127.0.0.1:${p.port}`);
  });

  it('sends SNI for a host name but not for an IP address (no DEP0123 warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => void warnings.push(w.code ?? w.name);
    process.on('warning', onWarning);
    // The peer answers with the SNI it received: `false` when there was none.
    const p = await tlsPeer(await certs.issue(), (s) => s.end(`sni=${String(s.servername)}`));
    try {
      for (const [host, sni] of [
        ['127.0.0.1', 'false'],
        ['localhost', 'localhost'],
      ] as const) {
        const r = await runCheck(tcp, {
          host,
          port: p.port,
          tls: { rejectUnauthorized: false },
          expectPattern: '^sni=',
        });
        expect(r.outcome).toBe('ok');
        const wrong = await runCheck(tcp, {
          host,
          port: p.port,
          tls: { rejectUnauthorized: false },
          expect: 'nothing',
        });
        expect(wrong.message).toContain(`replied "sni=${sni}"`);
      }
      expect(warnings).not.toContain('DEP0123');
    } finally {
      process.off('warning', onWarning);
      await p.close();
    }
  });

  it('validates its config', () => {
    expect(schemaIssues(tcp, { host: '', port: 70_000, expectPattern: '(' })).toEqual([
      'host: Too small: expected string to have >=1 characters',
      'port: Too big: expected number to be <=65535',
      'expectPattern: is not a valid regular expression',
    ]);
    expect(schemaIssues(tcp, { host: 'h', port: 1, bogus: 1 })).toEqual([
      ': Unrecognized key: "bogus"',
    ]);
  });
});
