import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from '../../../../resilience/test/redis-server.js';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { redis } from './index.js';

let secured: PrivateRedis;
beforeAll(async () => {
  secured = await startRedis(['--requirepass', 'hunter2-secret']);
});
afterAll(async () => {
  await secured.stop();
});
const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

describe('redis check', () => {
  it('passes on PONG from the shared Redis, with connect and query phases', async () => {
    const r = await runCheck(redis, { host: '127.0.0.1', port: 6379 });
    expect(r).toMatchObject({ outcome: 'ok', message: '127.0.0.1:6379 answered PONG' });
    expect(r.phases?.connect).toBeGreaterThan(0);
    expect(r.phases?.total).toBe(r.latencyMs);
  });

  it('checks INFO fields: a passing assertion, a failing one, and a degraded one', async () => {
    const pass = await runCheck(redis, {
      host: '127.0.0.1',
      port: 6379,
      info: [
        { field: 'role', equals: 'master' },
        { field: 'server.redis_version', equals: 'x' },
      ].slice(0, 1),
    });
    expect(pass.outcome).toBe('ok');
    expect(pass.details).toMatchObject({ role: 'master' });
    expect(pass.details?.redis_version).toMatch(/^\d+\.\d+/);
    const failing = await runCheck(redis, {
      host: '127.0.0.1',
      port: 6379,
      info: [
        { field: 'replication.role', equals: 'slave' },
        { field: 'connected_clients', max: 0, severity: 'degraded' },
      ],
    });
    expect(failing.outcome).toBe('fail');
    expect(failing.message).toMatch(
      /^replication\.role is "master", expected "slave"; connected_clients is \d+, expected at most 0 \(127\.0\.0\.1:6379\)$/,
    );
    const degraded = await runCheck(redis, {
      host: '127.0.0.1',
      port: 6379,
      info: [{ field: 'connected_clients', max: 0, severity: 'degraded' }],
    });
    expect(degraded.outcome).toBe('degraded');
    const missing = await runCheck(redis, {
      host: '127.0.0.1',
      port: 6379,
      info: [{ field: 'no_such_field', min: 1 }],
    });
    expect(missing.message).toBe('INFO has no field no_such_field (127.0.0.1:6379)');
  });

  it('authenticates with a password, from options or the URL, and names a wrong one without showing it', async () => {
    const port = secured.port;
    expect(
      (await runCheck(redis, { host: '127.0.0.1', port, password: 'hunter2-secret' })).outcome,
    ).toBe('ok');
    expect(
      (await runCheck(redis, { url: `redis://:hunter2-secret@127.0.0.1:${port}/3` })).outcome,
    ).toBe('ok');
    const wrong = await runCheck(redis, { host: '127.0.0.1', port, password: 'not-the-password' });
    expect(wrong.outcome).toBe('fail');
    expect(wrong.message).toMatch(
      new RegExp(`^authentication refused by 127\\.0\\.0\\.1:${port}: WRONGPASS`),
    );
    expect(wrong.message).not.toContain('not-the-password');
    const none = await runCheck(redis, { host: '127.0.0.1', port });
    expect(none.message).toMatch(/NOAUTH/);
  });

  it('fails with a specific reason on a refused port, a black hole, the wrong protocol and an unknown host', async () => {
    const refused = await closedPort();
    expect((await runCheck(redis, { host: '127.0.0.1', port: refused })).message).toBe(
      `connection refused by 127.0.0.1:${refused}`,
    );
    const hole = await tcpPeer();
    peers.push(hole);
    const timedOut = await runCheck(
      redis,
      { host: '127.0.0.1', port: hole.port },
      { timeoutMs: 300 },
    );
    expect(timedOut.message).toBe(`timed out after 300ms (127.0.0.1:${hole.port})`);
    expect((await runCheck(redis, { host: '127.0.0.1', port: 5432 })).message).toBe(
      '127.0.0.1:5432 closed the connection before answering (is it a Redis server?)',
    );
    const garbage = await tcpPeer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    peers.push(garbage);
    expect((await runCheck(redis, { host: '127.0.0.1', port: garbage.port })).message).toMatch(
      /does not speak the Redis protocol|closed the connection/,
    );
    expect((await runCheck(redis, { host: 'nonexistent.invalid', port: 6379 })).message).toMatch(
      /^cannot resolve host of nonexistent\.invalid:6379/,
    );
  });

  it('validates its config', () => {
    expect(schemaIssues(redis, { host: 'h', url: 'redis://h' })).toEqual([
      ': give either url or host',
    ]);
    expect(schemaIssues(redis, { url: 'http://h' })).toEqual([
      'url: is not a redis:// or rediss:// URL',
    ]);
    expect(schemaIssues(redis, { host: 'h', username: 'u' })).toEqual([
      'username: username needs a password',
    ]);
    expect(schemaIssues(redis, { host: 'h', info: [{ field: 'role' }] })).toEqual([
      'info.0: give equals, min or max',
    ]);
    expect(schemaIssues(redis, { host: 'h', colour: 1 })).toEqual([': Unrecognized key: "colour"']);
  });
});
