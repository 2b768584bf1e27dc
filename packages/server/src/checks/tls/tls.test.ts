import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCertFactory, type CertFactory, type TestCert } from '../../../test/certs.js';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { allClosed, openSocketCount, socketsBackTo } from '../../../test/leaks.js';
import { closedPort, tcpPeer } from '../../../test/net-helpers.js';
import { tlsPeer } from '../../../test/tls-peer.js';
import { tls } from './index.js';

const DAY = 86_400_000;
let certs: CertFactory;
let good: TestCert;
let soon: TestCert;
let expired: TestCert;
let selfSigned: TestCert;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  certs = await createCertFactory();
  [good, soon, expired, selfSigned] = await Promise.all([
    certs.issue({ days: 30 }),
    certs.issue({ days: 5 }),
    certs.issue({
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    }),
    certs.selfSigned({ days: 30 }),
  ]);
});
afterAll(() => certs.close());
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Serves `cert` and runs a tls check against it, asserting the check closed its connection. */
async function check(cert: TestCert, config: Record<string, unknown> = {}, timeoutMs?: number) {
  const peer = await tlsPeer(cert, () => {});
  closers.push(() => peer.close());
  const result = await runCheck(
    tls,
    { host: 'localhost', port: peer.port, ...config },
    { deps: { configDir: certs.dir }, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  );
  expect(await allClosed(peer.sockets)).toBe(true);
  return result;
}

const ca = () => basename(certs.ca.certPath);

describe('tls check', () => {
  it('passes with days to expiry as the value, the certificate in details and timed phases', async () => {
    const r = await check(good, { ca: ca() });
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(/^certificate for localhost expires in 30 days \(\d{4}-\d\d-\d\d\)$/);
    expect(r.value).toBeGreaterThan(29.9);
    expect(r.value).toBeLessThanOrEqual(30);
    expect(r.details).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Vigil Test CA',
      daysLeft: r.value,
    });
    expect(Date.parse(String(r.details?.validTo))).toBeGreaterThan(Date.now() + 29 * DAY);
    for (const phase of ['dns', 'connect', 'tls', 'total'] as const)
      expect(r.phases?.[phase]).toBeGreaterThanOrEqual(0);
    expect(r.phases?.total).toBeGreaterThanOrEqual(r.phases?.tls ?? Infinity);
  });

  it('is degraded when the certificate expires within warnDays (5 days < 14)', async () => {
    const r = await check(soon, { ca: ca() });
    expect(r.outcome).toBe('degraded');
    expect(r.message).toMatch(
      /^certificate for localhost expires in 5 days \(\d{4}-\d\d-\d\d\), within warnDays 14$/,
    );
    expect(r.value).toBeCloseTo(5, 0);
  });

  it('fails when the certificate expires within failDays', async () => {
    const r = await check(soon, { ca: ca(), failDays: 7, warnDays: 30 });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/expires in 5 days \(.*\), within failDays 7$/);
  });

  it('fails on an expired certificate, saying how long ago', async () => {
    const r = await check(expired, { ca: ca() });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'certificate for localhost expired 2 days ago',
    });
    expect(r.value).toBeCloseTo(-2, 0);
    expect(r.details?.daysLeft).toBeCloseTo(-2, 0);
  });

  it('fails on an expired certificate even when the chain is not verified', async () => {
    const r = await check(expired, { rejectUnauthorized: false });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^certificate for localhost expired 2 days ago \(\d{4}-\d\d-\d\d\)$/);
  });

  it('names a self-signed certificate, and trusts it when ca points at it', async () => {
    const refused = await check(selfSigned);
    expect(refused).toMatchObject({
      outcome: 'fail',
      message: 'certificate for localhost is self-signed',
    });
    const trusted = await check(selfSigned, { ca: selfSigned.certPath });
    expect(trusted.outcome).toBe('ok');
  });

  it('names an unknown issuer when the signing CA is not trusted', async () => {
    const r = await check(good);
    expect(r.message).toBe(
      'certificate for localhost is signed by an unknown authority (CN=Vigil Test CA)',
    );
  });

  it('fails on a host name mismatch, naming what the certificate is for', async () => {
    const r = await check(good, { ca: ca(), servername: 'api.example.test' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message:
        'certificate for api.example.test does not match the host name (it is for DNS:localhost, IP Address:127.0.0.1)',
    });
  });

  it('checks an IP address against the IP names of the certificate', async () => {
    const r = await check(good, { host: '127.0.0.1', ca: ca() });
    expect(r.outcome).toBe('ok');
    expect(r.phases?.dns).toBeUndefined();
    const other = await certs.issue({ altNames: ['DNS:localhost'] });
    const mismatch = await check(other, { host: '127.0.0.1', ca: ca() });
    expect(mismatch.message).toBe(
      'certificate for 127.0.0.1 does not match the host name (it is for DNS:localhost)',
    );
  });

  it('watches only expiry with rejectUnauthorized: false', async () => {
    const r = await check(selfSigned, { rejectUnauthorized: false });
    expect(r.outcome).toBe('ok');
    expect(r.details).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost' });
  });

  it('fails naming the file when the CA file cannot be read', async () => {
    const r = await check(good, { ca: 'missing.pem' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `cannot read CA file ${certs.dir}/missing.pem (ENOENT)`,
    });
  });

  it('trusts nothing from a CA file whose certificate is corrupt', async () => {
    const bad = join(certs.dir, 'bad.pem');
    await writeFile(
      bad,
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
    );
    const r = await check(good, { ca: 'bad.pem' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'certificate for localhost is signed by an unknown authority (CN=Vigil Test CA)',
    });
  });

  it('fails naming the file when the CA file holds no certificate', async () => {
    const r = await check(good, { ca: good.keyPath });
    expect(r.message).toBe(`CA file ${good.keyPath} holds no PEM certificate`);
  });
});

describe('tls check against hostile targets', () => {
  it('reports a refused connection', async () => {
    const port = await closedPort();
    const r = await runCheck(tls, { host: '127.0.0.1', port });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('times out in the handshake with a peer that accepts and never answers', async () => {
    // It reads (and drops) what it is sent, so it sees the check hang up.
    const peer = await tcpPeer((s) => s.resume());
    closers.push(() => peer.close());
    const r = await runCheck(tls, { host: '127.0.0.1', port: peer.port }, { timeoutMs: 250 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 250ms in the TLS handshake with 127.0.0.1:${peer.port}`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(240);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(await allClosed(peer.sockets)).toBe(true);
  });

  it('fails the handshake with a peer that speaks another protocol', async () => {
    const peer = await tcpPeer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    closers.push(() => peer.close());
    const r = await runCheck(tls, { host: '127.0.0.1', port: peer.port });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(
        `^TLS handshake with 127\\.0\\.0\\.1:${peer.port} failed: .+ \\(is it a TLS port\\?\\)$`,
      ),
    );
  });

  it('reports a peer that hangs up in the handshake', async () => {
    const peer = await tcpPeer((s) => s.once('data', () => s.destroy()));
    closers.push(() => peer.close());
    const r = await runCheck(tls, { host: '127.0.0.1', port: peer.port });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${peer.port} closed the connection during the TLS handshake`,
    });
  });

  it('times out against the Redis port, which waits for the rest of a command', async () => {
    const r = await runCheck(tls, { host: '127.0.0.1', port: 6379 }, { timeoutMs: 300 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'timed out after 300ms in the TLS handshake with 127.0.0.1:6379',
    });
  });

  it('reports a name that does not resolve', async () => {
    const r = await runCheck(tls, { host: 'nonexistent.invalid' });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^cannot resolve nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)/);
  });

  it('leaves no socket open after runs that pass and fail', async () => {
    const baseline = openSocketCount();
    await check(good, { ca: ca() });
    await check(selfSigned);
    await check(expired, { ca: ca() });
    await Promise.all(closers.splice(0).map((close) => close()));
    expect(await socketsBackTo(baseline)).toBeLessThanOrEqual(baseline);
  });
});

describe('tls config', () => {
  it('defaults port 443, warnDays 14, failDays 0', () => {
    expect(tls.schema.parse({ host: 'example.com' })).toEqual({
      host: 'example.com',
      port: 443,
      rejectUnauthorized: true,
      warnDays: 14,
      failDays: 0,
    });
  });

  it('rejects bad config naming the field', () => {
    expect(schemaIssues(tls, { port: 0, warnDays: -1, bogus: true })).toEqual([
      'host: Invalid input: expected string, received undefined',
      'port: Too small: expected number to be >=1',
      'warnDays: Too small: expected number to be >=0',
      ': Unrecognized key: "bogus"',
    ]);
    expect(schemaIssues(tls, { host: 'h', warnDays: 7, failDays: 10 })).toEqual([
      'failDays: must not be more than warnDays',
    ]);
    expect(schemaIssues(tls, { host: 'h', ca: '', rejectUnauthorized: 'no' })).toEqual([
      'ca: Too small: expected string to have >=1 characters',
      'rejectUnauthorized: Invalid input: expected boolean, received string',
    ]);
  });
});
