import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, tcpPeer, type Peer } from '../../test/net-helpers.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function vigil(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'vigil', ...args],
    { out: (s) => (out += s), err: (s) => (err += s) },
    { once: () => {} },
  );
  return { code, out, err };
}

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

describe('vigil validate', () => {
  it('accepts the bundled example config', async () => {
    const r = await vigil('validate', 'examples/vigil.yaml');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      'examples/vigil.yaml is valid: 8 monitors in 4 groups (amqp, http, mqtt, mysql, nats, postgres, push, redis)\n',
    );
  });

  it('lists every problem with its position and exits 1', async () => {
    const path = file(
      'bad.yaml',
      'monitors:\n  - id: a\n    tcp: { host: h, port: 0 }\n  - id: a\n    tcpp: {}\n',
    );
    const r = await vigil('validate', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has 4 problems');
    expect(r.err).toContain(
      `monitors[0].tcp.port: 0 is too small; must be at least 1 (${path}:3:27)`,
    );
    expect(r.err).toContain('monitors[1].tcpp: unknown key "tcpp"; did you mean "tcp"?');
    expect(r.err).toContain('monitors[1].id: duplicate monitor id "a" (first at monitors[0])');
  });

  it('names a missing file', async () => {
    const r = await vigil('validate', join(dir, 'missing.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.yaml does not exist/);
  });
});

describe('vigil check', () => {
  it('prints a table and exits 1 when a monitor is down', async () => {
    const peer = await tcpPeer();
    peers.push(peer);
    const port = await closedPort();
    const path = file(
      'check.yaml',
      `monitors:\n  - { id: web, tcp: { host: 127.0.0.1, port: ${peer.port} } }\n  - { id: db, tcp: { host: 127.0.0.1, port: ${port} } }\n`,
    );
    const r = await vigil('check', path);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+MONITOR\s+KIND\s+LATENCY\s+REASON$/);
    expect(lines[1]).toMatch(
      new RegExp(`^UP\\s+web\\s+tcp\\s+\\d+ ms\\s+connected to 127.0.0.1:${peer.port}$`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^DOWN\\s+db\\s+tcp\\s+\\d+ ms\\s+connection refused by 127.0.0.1:${port}$`),
    );
    expect(lines[3]).toBe('1 up, 1 down (of 2)');

    const only = await vigil('check', path, '--monitor', 'web');
    expect(only.code).toBe(0);
    expect(only.out).toContain('1 up (of 1)');
  });

  it('exits 2 for an unknown monitor id', async () => {
    const r = await vigil('check', 'examples/vigil.yaml', '--monitor', 'nope');
    expect(r).toMatchObject({ code: 2, err: 'no monitor "nope" in examples/vigil.yaml\n' });
  });

  it('shows help and rejects an unknown command', async () => {
    expect((await vigil('--help')).out).toContain('validate');
    expect((await vigil('frobnicate')).code).toBe(1);
  });
});
