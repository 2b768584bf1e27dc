import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import { ConnectionLostError, hasErrorCode } from '../../errors/index.js';
import { createPool, type Pool } from './pool.js';
import { isConnectionError, type PoolOptions } from './options.js';

interface Resource {
  readonly id: number;
  healthy: boolean;
}

/** A pool of numbered fake resources on a FakeClock, with a log of creations and destructions. */
function fixture(options: Partial<PoolOptions<Resource>> = {}): {
  pool: Pool<Resource>;
  clock: FakeClock;
  log: string[];
} {
  const clock = new FakeClock();
  const log: string[] = [];
  let next = 0;
  const pool = createPool<Resource>({
    create: () => {
      const r = { id: ++next, healthy: true };
      log.push(`create ${r.id}`);
      return r;
    },
    destroy: (r) => {
      log.push(`destroy ${r.id}`);
    },
    clock,
    ...options,
  });
  return { pool, clock, log };
}

describe('Pool', () => {
  it('creates on demand up to max and reuses released resources', async () => {
    const { pool, log } = fixture({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect([a.id, b.id]).toEqual([1, 2]);
    pool.release(a);
    expect((await pool.acquire()).id).toBe(1);
    expect(log).toEqual(['create 1', 'create 2']);
    expect(pool.stats).toEqual({ size: 2, idle: 0, borrowed: 2, pending: 0, creating: 0 });
  });

  it('serves waiters first come, first served', async () => {
    const { pool } = fixture({ max: 1 });
    const held = await pool.acquire();
    const order: string[] = [];
    const waiters = ['w1', 'w2', 'w3'].map((name) =>
      pool.acquire().then((r) => {
        order.push(name);
        pool.release(r);
      }),
    );
    expect(pool.stats.pending).toBe(3);
    pool.release(held);
    await Promise.all(waiters);
    expect(order).toEqual(['w1', 'w2', 'w3']);
  });

  it('times out an acquire with ACQUIRE_TIMEOUT, exactly on the clock', async () => {
    const { pool, clock } = fixture({ max: 1, acquireTimeoutMs: 1000 });
    await pool.acquire();
    const waiting = pool.acquire().catch((e: unknown) => e);
    await clock.advance(999);
    expect(pool.stats.pending).toBe(1);
    await clock.advance(1);
    const error = await waiting;
    expect(hasErrorCode(error, 'ACQUIRE_TIMEOUT')).toBe(true);
    expect(error).toMatchObject({ poolId: 'pool', timeoutMs: 1000, borrowed: 1, retryable: true });
    expect(pool.stats.pending).toBe(0);
    const custom = pool.acquire({ timeoutMs: 10 }).catch((e: unknown) => e);
    await clock.advance(10);
    expect(await custom).toMatchObject({ code: 'ACQUIRE_TIMEOUT', timeoutMs: 10 });
  });

  it('waits forever with acquireTimeoutMs Infinity, and gives up on abort', async () => {
    const { pool, clock } = fixture({ max: 1, acquireTimeoutMs: Infinity });
    await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(1e9);
    expect(pool.stats.pending).toBe(1);
    controller.abort(new Error('no longer needed'));
    expect(await waiting).toMatchObject({ message: 'no longer needed' });
    const aborted = new AbortController();
    aborted.abort(new Error('already'));
    await expect(pool.acquire({ signal: aborted.signal })).rejects.toThrow('already');
    expect(() => pool.acquire({ timeoutMs: 0 })).toThrow(/timeoutMs must be > 0/);
  });

  it('validates idle resources on borrow; a failed one is destroyed and another used', async () => {
    const { pool, log } = fixture({ validate: (r) => r.healthy });
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.release(b);
    b.healthy = false;
    const got = await pool.acquire(); // newest first: b fails validation, a passes
    expect(got.id).toBe(1);
    await Promise.resolve();
    expect(log).toContain('destroy 2');
  });

  it('a validator that throws counts as failed and is reported', async () => {
    const errors: string[] = [];
    let calls = 0;
    const { pool } = fixture({
      validate: () => {
        if (++calls === 1) throw new Error('ping failed');
        return true;
      },
    });
    pool.on('error', (e) => errors.push(`${e.during}: ${(e.error as Error).message}`));
    pool.release(await pool.acquire());
    const r = await pool.acquire();
    expect(r.id).toBe(2);
    expect(errors).toEqual(['validate: ping failed']);
  });

  it('a waiter that times out during validation leaves the resource in the pool', async () => {
    let release!: (ok: boolean) => void;
    const { pool, clock } = fixture({
      max: 1,
      acquireTimeoutMs: 100,
      validate: () => new Promise<boolean>((r) => (release = r)),
    });
    pool.release(await pool.acquire());
    const waiting = pool.acquire().catch((e: unknown) => e);
    await clock.flush();
    await clock.advance(100);
    expect(await waiting).toMatchObject({ code: 'ACQUIRE_TIMEOUT' });
    release(true);
    await clock.flush();
    expect(pool.stats).toMatchObject({ idle: 1, borrowed: 0 });
  });

  it('evicts resources idle longer than idleTimeoutMs, down to min (FakeClock)', async () => {
    const { pool, clock, log } = fixture({ min: 1, max: 3, idleTimeoutMs: 30_000 });
    await clock.flush();
    const all = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(log).toEqual(['create 1', 'create 2', 'create 3']);
    pool.release(all[0]);
    await clock.advance(10_000);
    pool.release(all[1]);
    pool.release(all[2]);
    await clock.advance(19_999);
    expect(pool.stats.idle).toBe(3);
    await clock.advance(1); // resource 1 has been idle 30 s
    await clock.flush();
    expect(log.slice(3)).toEqual(['destroy 1']);
    await clock.advance(10_000); // 2 goes; 3 stays as the min
    await clock.flush();
    expect(log.slice(3)).toEqual(['destroy 1', 'destroy 2']);
    expect(pool.stats.size).toBe(1);
    await clock.advance(1e6);
    expect(pool.stats.size).toBe(1);
  });

  it('creates min resources at once and replaces destroyed ones', async () => {
    const { pool, clock, log } = fixture({ min: 2, max: 4 });
    await clock.flush();
    expect(pool.stats).toMatchObject({ size: 2, idle: 2 });
    const r = await pool.acquire();
    pool.destroy(r);
    await clock.flush();
    expect(log).toEqual(['create 1', 'create 2', `destroy ${r.id}`, 'create 3']);
    expect(pool.stats.size).toBe(2);
  });

  it('use() always gives the resource back, and destroys it after a connection error', async () => {
    const { pool, clock, log } = fixture({ max: 1 });
    expect(await pool.use((r) => r.id * 10)).toBe(10);
    expect(pool.stats).toMatchObject({ idle: 1, borrowed: 0 });
    await expect(
      pool.use(() => {
        throw new Error('bad input');
      }),
    ).rejects.toThrow('bad input');
    expect(pool.stats).toMatchObject({ idle: 1, borrowed: 0 });
    await expect(
      pool.use(() => Promise.reject(new ConnectionLostError('db:5432'))),
    ).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    await clock.flush();
    expect(log).toEqual(['create 1', 'destroy 1']);
    expect((await pool.acquire()).id).toBe(2);
  });

  it('use() honours a custom isFatal', async () => {
    const { pool, clock, log } = fixture({ isFatal: (e) => (e as Error).message === 'poisoned' });
    await expect(pool.use(() => Promise.reject(new Error('poisoned')))).rejects.toThrow();
    await clock.flush();
    expect(log).toEqual(['create 1', 'destroy 1']);
  });

  it('a failing create rejects the oldest waiter with its error and reports it', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const pool = createPool({
      clock,
      create: () => {
        if (++calls === 1) throw new Error('ECONNREFUSED');
        return { id: calls };
      },
    });
    pool.on('error', (e) => errors.push(e.during));
    await expect(pool.acquire()).rejects.toThrow('ECONNREFUSED');
    expect(await pool.acquire()).toEqual({ id: 2 });
    expect(errors).toEqual(['create']);
  });

  it('reports a destroy that throws, and carries on', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const pool = createPool({
      clock,
      create: () => ({}),
      destroy: () => Promise.reject(new Error('close failed')),
    });
    pool.on('error', (e) => errors.push(e.during));
    pool.destroy(await pool.acquire());
    await clock.flush();
    expect(errors).toEqual(['destroy']);
  });

  it('refuses to release or destroy what it did not lend', async () => {
    const { pool } = fixture();
    const r = await pool.acquire();
    pool.release(r);
    expect(() => pool.release(r)).toThrow(/not borrowed from this pool/);
    expect(() => pool.destroy({ id: 99, healthy: true })).toThrow(TypeError);
  });

  it('drain() serves queued waiters, refuses new ones, and resolves when everything is destroyed', async () => {
    const { pool, clock, log } = fixture({ max: 1 });
    const held = await pool.acquire();
    const queued = pool.acquire();
    let drained = false;
    const draining = pool.drain().then(() => (drained = true));
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'POOL_CLOSED' });
    pool.release(held);
    const second = await queued;
    await clock.flush();
    expect(drained).toBe(false);
    pool.release(second);
    await draining;
    expect(log).toEqual(['create 1', 'destroy 1']);
    expect(pool.stats.size).toBe(0);
  });

  it('close() rejects queued waiters at once and destroys idle resources', async () => {
    const { pool, log } = fixture({ max: 1, min: 1 });
    const held = await pool.acquire();
    const queued = pool.acquire().catch((e: unknown) => e);
    const closing = pool.close();
    expect(await queued).toMatchObject({ code: 'POOL_CLOSED', retryable: false });
    pool.release(held);
    await closing;
    expect(log).toEqual(['create 1', 'destroy 1']);
    await pool.close(); // again: fine
  });

  it('supports await using', async () => {
    const log: string[] = [];
    {
      await using pool = createPool({
        create: () => 'r',
        destroy: () => void log.push('destroyed'),
      });
      await pool.use((r) => r);
    }
    expect(log).toEqual(['destroyed']);
  });
});

describe('Pool options', () => {
  const create = (): number => 1;
  it.each<[string, Partial<PoolOptions<number>>, RegExp]>([
    ['no create', { create: undefined as never }, /create must be a function/],
    ['max 0', { create, max: 0 }, /max must be an integer >= 1, got 0/],
    ['negative min', { create, min: -1 }, /min must be an integer >= 0, got -1/],
    ['min above max', { create, min: 5, max: 2 }, /min \(5\) must not exceed max \(2\)/],
    ['fractional max', { create, max: 2.5 }, /max must be an integer/],
    [
      'NaN acquireTimeoutMs',
      { create, acquireTimeoutMs: NaN },
      /acquireTimeoutMs must be a number of ms > 0/,
    ],
    [
      'zero idleTimeoutMs',
      { create, idleTimeoutMs: 0 },
      /idleTimeoutMs must be a number of ms > 0/,
    ],
    ['validate not a function', { create, validate: 1 as never }, /validate must be a function/],
    ['empty id', { create, id: '' }, /id must be a non-empty string/],
  ])('throws at construction for %s, naming the option', (_name, options, message) => {
    expect(() => createPool(options as PoolOptions<number>)).toThrow(message);
  });

  it('throws for options that are not an object', () => {
    expect(() => createPool(null as never)).toThrow(/options must be an object/);
  });

  it('isConnectionError knows Vigil codes and Node socket errors', () => {
    expect(isConnectionError(new ConnectionLostError('x:1'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionError(new Error('x'))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});
