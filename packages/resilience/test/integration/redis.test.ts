// RedisClient against a private redis-server this file starts on a free port (never the shared one).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  RespPush,
  VerbatimString,
  constant,
  createRedisClient,
  createSupervisor,
  hasErrorCode,
  type RedisClient,
  type RedisClientOptions,
} from '../../src/index.js';
import { until } from '../net-peer.js';
import { startRedis, type PrivateRedis } from '../redis-server.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function client(options: RedisClientOptions): RedisClient {
  const c = createRedisClient(options);
  cleanup.push(() => c.close({ force: true }));
  return c;
}

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('RedisClient: commands and replies (RESP2)', () => {
  it('answers commands with JS values and keeps Redis error prefixes', async () => {
    const c = client({ port: redis.port });
    expect(await c.command(['SET', 'r2:s', 'héllo'])).toBe('OK');
    expect(await c.command(['GET', 'r2:s'])).toBe('héllo');
    expect(await c.command(['GET', 'r2:missing'])).toBeNull();
    expect(await c.command(['INCRBY', 'r2:n', 41])).toBe(41);
    expect(await c.command(['RPUSH', 'r2:l', 'a', 'b'])).toBe(2);
    expect(await c.command(['LRANGE', 'r2:l', 0, -1])).toEqual(['a', 'b']);
    await c.command(['HSET', 'r2:h', 'f', 'v']);
    expect(await c.command(['HGETALL', 'r2:h'])).toEqual(['f', 'v']);
    const error: unknown = await c.command(['LPUSH', 'r2:s', 'x']).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'REDIS_REPLY_ERROR')).toBe(true);
    expect(error).toMatchObject({ prefix: 'WRONGTYPE', retryable: false });
    expect((error as Error).message).toContain(`reply to LPUSH at 127.0.0.1:${redis.port}`);
    expect(await c.ping()).toBe('PONG');
    expect(await c.ping('hi')).toBe('hi');
  });

  it('parses INFO into sections', async () => {
    const c = client({ port: redis.port });
    const info = await c.info();
    expect(info.server?.redis_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(info.server?.tcp_port)).toBe(redis.port);
    expect(Object.keys(await c.info('memory'))).toEqual(['memory']);
  });

  it('returns Buffers with returnBuffers, binary-safe', async () => {
    const c = client({ port: redis.port, returnBuffers: true });
    const bytes = Buffer.from([0, 255, 13, 10, 128]);
    await c.command(['SET', Buffer.from('r2:bin'), bytes]);
    expect(await c.command(['GET', 'r2:bin'])).toEqual(bytes);
    expect(await c.ping()).toBe('PONG');
  });

  it('runs a pipeline: results in order, error replies as entries', async () => {
    const c = client({ port: redis.port });
    const results = await c
      .pipeline()
      .command(['SET', 'r2:p', 1])
      .command(['INCR', 'r2:p'])
      .command(['HGET', 'r2:p', 'x'])
      .command(['GET', 'r2:p'])
      .exec();
    expect(results[0]).toEqual([null, 'OK']);
    expect(results[1]).toEqual([null, 2]);
    expect(results[2]?.[0]).toMatchObject({ prefix: 'WRONGTYPE' });
    expect(results[3]).toEqual([null, '2']);
  });

  it('round-trips a 10 MB bulk string', async () => {
    const c = client({ port: redis.port });
    const big = 'x'.repeat(10 * 1024 * 1024 - 7) + 'é-end';
    await c.command(['SET', 'r2:big', big]);
    expect(await c.command(['GET', 'r2:big'])).toBe(big);
    expect(await c.command(['STRLEN', 'r2:big'])).toBe(Buffer.byteLength(big));
  });

  it('sends 100,000 commands issued in one burst, and a 100,000-command pipeline', async () => {
    const c = client({ port: redis.port });
    const burst = Array.from({ length: 100_000 }, (_, i) =>
      c.command(['INCR', 'r2:burst']).then((n) => n === i + 1),
    );
    expect((await Promise.all(burst)).every(Boolean)).toBe(true);
    const pipeline = c.pipeline();
    for (let i = 0; i < 100_000; i++) pipeline.command(['RPUSH', 'r2:pl', i]);
    const results = await pipeline.exec();
    expect(results.at(-1)).toEqual([null, 100_000]);
    expect(await c.command(['LRANGE', 'r2:pl', 99_998, -1])).toEqual(['99998', '99999']);
  });
});

describe('RedisClient: RESP3', () => {
  it('says HELLO 3 and decodes maps, sets, doubles and verbatim strings', async () => {
    const c = client({ port: redis.port, resp: 3, name: 'vigil-r3' });
    await c.command(['HSET', 'r3:h', 'f', 'v']);
    expect(await c.command(['HGETALL', 'r3:h'])).toEqual(new Map([['f', 'v']]));
    await c.command(['SADD', 'r3:s', 'a', 'b']);
    expect(await c.command(['SMEMBERS', 'r3:s'])).toEqual(new Set(['a', 'b']));
    await c.command(['ZADD', 'r3:z', 1.5, 'm']);
    expect(await c.command(['ZSCORE', 'r3:z', 'm'])).toBe(1.5);
    expect(await c.command(['GET', 'r3:missing'])).toBeNull();
    expect(await c.command(['CLIENT', 'INFO'])).toBeInstanceOf(VerbatimString);
    expect(c.server?.get('proto')).toBe(3);
    expect(await c.command(['CLIENT', 'GETNAME'])).toBe('vigil-r3');
    expect((await c.info('server')).server?.redis_version).toBeDefined();
  });

  it('delivers push frames (client-side caching invalidations) to pushes()', async () => {
    const c = client({ port: redis.port, resp: 3 });
    const other = client({ port: redis.port });
    const pushes = c.pushes();
    await c.command(['CLIENT', 'TRACKING', 'on']);
    await c.command(['GET', 'r3:tracked']);
    await other.command(['SET', 'r3:tracked', '1']);
    const { value } = await pushes.next();
    expect(value).toBeInstanceOf(RespPush);
    expect(value?.kind).toBe('invalidate');
    expect(value?.items[1]).toEqual(['r3:tracked']);
    await pushes.return?.();
  });
});

describe('RedisClient: handshake (AUTH, SELECT, SETNAME)', () => {
  let secured: PrivateRedis;
  beforeAll(async () => {
    secured = await startRedis(['--requirepass', 's3cret']);
  });
  afterAll(async () => {
    await secured.stop();
  });

  it.each([2, 3] as const)(
    'authenticates, selects the db and names the connection (RESP%s)',
    async (resp) => {
      const c = client({ port: secured.port, password: 's3cret', db: 3, name: 'vigil-test', resp });
      await c.command(['SET', 'in-db-3', 'yes']);
      expect(await c.command(['CLIENT', 'GETNAME'])).toBe('vigil-test');
      const db0 = client({ port: secured.port, password: 's3cret' });
      expect(await db0.command(['GET', 'in-db-3'])).toBeNull();
      expect(await db0.command(['SELECT', 3])).toBe('OK');
      expect(await db0.command(['GET', 'in-db-3'])).toBe('yes');
    },
  );

  it('authenticates an ACL user with username and password', async () => {
    const admin = client({ port: secured.port, password: 's3cret' });
    await admin.command(['ACL', 'SETUSER', 'alice', 'on', '>pw', '~*', '+@all']);
    const c = client({ port: secured.port, username: 'alice', password: 'pw' });
    expect(await c.command(['ACL', 'WHOAMI'])).toBe('alice');
    const c3 = client({ port: secured.port, username: 'alice', password: 'pw', resp: 3 });
    expect(await c3.command(['ACL', 'WHOAMI'])).toBe('alice');
  });

  it('a wrong password fails every attempt; requests time out naming the reason', async () => {
    const c = client({
      port: secured.port,
      password: 'wrong',
      requestTimeoutMs: 300,
      reconnect: constant(50),
    });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e.error));
    const error: unknown = await c.ping().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', sent: false });
    expect((error as Error).message).toMatch(/WRONGPASS/);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(
      errors.every(
        (e) => hasErrorCode(e, 'REDIS_REPLY_ERROR') && e.message.startsWith('WRONGPASS'),
      ),
    ).toBe(true);
  });
});

describe('RedisClient: Redis dies mid-stream and comes back', () => {
  it('fails written commands with CONNECTION_LOST, completes queued ones after the restart, in order', async () => {
    const own = await startRedis();
    cleanup.push(() => own.stop());
    const c = client({ port: own.port, reconnect: constant(20) });
    const events: string[] = [];
    c.on('connected', () => events.push('connected'));
    c.on('disconnected', () => events.push('disconnected'));
    c.on('error', () => undefined);
    await c.command(['DEL', 'q']);
    // Written and waiting on the server when it dies:
    const blocked = c
      .command(['BLPOP', 'nothing', 0], { timeoutMs: Infinity })
      .catch((e: unknown) => e);
    const stream = Promise.allSettled(
      Array.from({ length: 200 }, () => c.command(['INCR', 'stream'])),
    );
    await until(() => c.stats.inflight > 0 && c.stats.queued === 0);
    await own.kill();
    const lost = await blocked;
    expect(hasErrorCode(lost, 'CONNECTION_LOST')).toBe(true);
    for (const outcome of await stream) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ code: 'CONNECTION_LOST' });
    }
    // Issued while Redis is down: they wait in the queue.
    await until(() => c.state !== 'connected');
    const queued = Array.from({ length: 5 }, (_, i) => c.command(['RPUSH', 'q', `item-${i}`]));
    expect(c.stats.queued).toBe(5);
    await own.restart();
    expect(await Promise.all(queued)).toEqual([1, 2, 3, 4, 5]);
    expect(await c.command(['LRANGE', 'q', 0, -1])).toEqual([
      'item-0',
      'item-1',
      'item-2',
      'item-3',
      'item-4',
    ]);
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
    expect(c.state).toBe('connected');
  });

  it('recovers under a supervisor, with no help', async () => {
    const own = await startRedis();
    cleanup.push(() => own.stop());
    const c = client({ port: own.port, autoConnect: false, reconnect: constant(20) });
    c.on('error', () => undefined);
    const sup = createSupervisor({
      id: 'app',
      strategy: 'one_for_one',
      children: [{ id: 'redis', task: c }],
    });
    await sup.start();
    expect(await c.ping()).toBe('PONG');
    await own.kill();
    await until(() => c.state !== 'connected');
    await own.restart();
    expect(await c.ping()).toBe('PONG');
    await sup.stop();
    expect(c.state).toBe('closed');
  });
});

describe('RedisClient over TLS', () => {
  const fixtures = new URL('../fixtures/tls/', import.meta.url);
  const ca = readFileSync(new URL('ca.crt', fixtures));
  let tlsRedis: PrivateRedis;
  beforeAll(async () => {
    tlsRedis = await startRedis(
      [
        '--tls-cert-file',
        new URL('server.crt', fixtures).pathname,
        '--tls-key-file',
        new URL('server.key', fixtures).pathname,
        '--tls-ca-cert-file',
        new URL('ca.crt', fixtures).pathname,
        '--tls-auth-clients',
        'no',
      ],
      { tls: true },
    );
  });
  afterAll(async () => {
    await tlsRedis.stop();
  });

  it('talks to Redis over TLS, verifying its certificate', async () => {
    const c = client({ port: tlsRedis.port, tls: { ca }, resp: 3 });
    expect(await c.ping()).toBe('PONG');
    expect(await c.command(['SET', 'tls', 'yes'])).toBe('OK');
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const c = client({
      port: tlsRedis.port,
      tls: true,
      requestTimeoutMs: 500,
      reconnect: constant(100),
    });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e.error));
    await expect(c.ping()).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', sent: false });
    expect(errors[0]?.message).toMatch(/self[- ]signed|unable to verify|certificate/i);
  });
});
