import { describe, expect, it } from 'vitest';
import { constant, exponential, policy } from '../backoff/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { createSupervisor } from '../supervision/index.js';
import { createProviderPool } from './provider-pool.js';
import type { ProviderPoolEvents, ProviderPoolOptions } from './provider-pool-types.js';

type Behaviour = 'ok' | 'fail' | 'throw' | 'hang';

/** Stores whose behaviour the test sets; every poll is logged with its virtual time. */
function stores(clock: FakeClock, initial: Record<string, Behaviour>) {
  const behaviour = new Map(Object.entries(initial));
  const prices = new Map<string, number>();
  const polls: string[] = [];
  const poll = (id: string): Promise<number> => {
    polls.push(`${id}@${clock.monotonic()}`);
    switch (behaviour.get(id)) {
      case 'ok':
        return Promise.resolve(prices.get(id) ?? 10);
      case 'throw':
        throw new Error(`${id}: poll function crashed`);
      case 'hang':
        return new Promise(() => undefined);
      default:
        return Promise.reject(new Error(`${id}: 503`));
    }
  };
  const of = (id: string) =>
    polls.filter((p) => p.startsWith(`${id}@`)).map((p) => Number(p.split('@')[1]));
  return { behaviour, prices, polls, poll, of };
}

function record<V>(
  pool: {
    on: <K extends keyof ProviderPoolEvents<V>>(
      n: K,
      l: (e: ProviderPoolEvents<V>[K]) => void,
    ) => () => void;
  },
  clock: FakeClock,
) {
  const log: string[] = [];
  const names = [
    'added',
    'removed',
    'admitted',
    'value-changed',
    'quarantined',
    'blocked',
    'released',
    'refresh-failed',
  ] as const;
  for (const name of names) {
    pool.on(name, (e: ProviderPoolEvents<V>[typeof name]) =>
      log.push(`${name}:${'id' in e ? e.id : ''}@${clock.monotonic()}`),
    );
  }
  return log;
}

const base = (clock: FakeClock): Partial<ProviderPoolOptions<string, number>> => ({
  clock,
  periodMs: 5000,
  backoff: exponential({ initialMs: 1000, maxMs: 60_000 }),
  maxAttempts: 3,
});

describe('ProviderPool timeline (FakeClock)', () => {
  it('success → allowlist every period; failure → quarantine on the backoff; 3 in a row → blocked', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok', b: 'fail', c: 'ok' });
    const pool = createProviderPool({ ...base(clock), providers: ['a', 'b', 'c'], poll: s.poll });
    const log = record(pool, clock);
    await pool.start();
    await clock.flush();
    expect(pool.values().map((v) => v.id)).toEqual(['a', 'c']);
    expect(pool.status('b')).toMatchObject({
      state: 'quarantined',
      attempts: 1,
      nextPollAt: clock.now() + 1000,
    });
    await clock.advance(60_000);
    expect(s.of('a')).toEqual(Array.from({ length: 13 }, (_, i) => i * 5000));
    expect(s.of('b')).toEqual([0, 1000, 3000]); // then blocked: no more polls
    expect(log.filter((l) => l.includes(':b@'))).toEqual([
      'added:b@0',
      'quarantined:b@0',
      'quarantined:b@1000',
      'blocked:b@3000',
    ]);
    expect(pool.status('b')).toMatchObject({
      state: 'blocked',
      attempts: 3,
      nextPollAt: undefined,
    });
    expect((pool.status('b')?.lastError as Error).message).toBe('b: 503');
    const snap = pool.snapshot();
    expect(snap.allowed.map((p) => p.id)).toEqual(['a', 'c']);
    expect(snap.blocked.map((p) => p.id)).toEqual(['b']);
    expect(snap.quarantined).toEqual([]);
    // release: polled at once; it answers now
    s.behaviour.set('b', 'ok');
    expect(pool.release('b')).toBe(true);
    expect(pool.release('a')).toBe(false);
    await clock.flush();
    expect(s.of('b')).toEqual([0, 1000, 3000, 60_000]);
    expect(pool.status('b')).toMatchObject({ state: 'allowed', attempts: 0 });
    expect(log.slice(-2)).toEqual(['released:b@60000', 'admitted:b@60000']);
    await pool.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a provider that recovers in quarantine goes back to the allowlist and the base period', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'fail' });
    const pool = createProviderPool({ ...base(clock), providers: ['a'], poll: s.poll });
    await pool.start();
    await clock.advance(1000); // fails at 0 and 1000
    s.behaviour.set('a', 'ok');
    await clock.advance(2000); // the poll at 3000 succeeds
    expect(pool.status('a')).toMatchObject({ state: 'allowed', attempts: 0 });
    await clock.advance(10_000);
    expect(s.of('a')).toEqual([0, 1000, 3000, 8000, 13_000]);
    await pool.stop();
  });

  it('emits value-changed only when the value changes (by equals)', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok' });
    const pool = createProviderPool({ ...base(clock), providers: ['a'], poll: s.poll });
    const changes: ProviderPoolEvents<number>['value-changed'][] = [];
    pool.on('value-changed', (e) => changes.push(e));
    await pool.start();
    await clock.advance(5000); // same price
    s.prices.set('a', 9);
    await clock.advance(5000);
    expect(changes).toEqual([{ id: 'a', value: 9, previous: 10, at: clock.now() }]);
    expect(pool.values()).toEqual([{ id: 'a', value: 9, updatedAt: clock.now() }]);
    await pool.stop();
  });

  it('one crashing or hanging poll function hurts no other provider', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { ok: 'ok', crash: 'throw', hang: 'hang' });
    const signals: AbortSignal[] = [];
    const pool = createProviderPool({
      ...base(clock),
      pollTimeoutMs: 2000,
      providers: ['ok', 'crash', 'hang'],
      poll: (id, ctx) => {
        if (id === 'hang') signals.push(ctx.signal);
        return s.poll(id);
      },
    });
    await pool.start();
    await clock.advance(30_000);
    expect(s.of('ok')).toEqual([0, 5000, 10_000, 15_000, 20_000, 25_000, 30_000]);
    expect(pool.status('crash')).toMatchObject({ state: 'blocked' });
    expect((pool.status('crash')?.lastError as Error).message).toBe('crash: poll function crashed');
    // hang: times out after 2 s each time: polls at 0, 3000 (2000 + 1000), 7000 (5000 + 2000) → blocked at 9000
    expect(s.of('hang')).toEqual([0, 3000, 7000]);
    expect(pool.status('hang')).toMatchObject({ state: 'blocked' });
    expect(hasErrorCode(pool.status('hang')?.lastError, 'TIMEOUT')).toBe(true);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(pool.values().map((v) => v.id)).toEqual(['ok']);
    await pool.stop();
  });

  it('a backoff policy that says stop blocks at once; attempt counts failures in a row', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const pool = createProviderPool({
      clock,
      providers: ['a'],
      backoff: constant(100).withMaxRetries(1),
      maxAttempts: 10,
      poll: (_id, ctx) => {
        attempts.push(ctx.attempt);
        return Promise.reject(new Error('no'));
      },
    });
    await pool.start();
    await clock.advance(1000);
    expect(attempts).toEqual([1, 2]);
    expect(pool.status('a')?.state).toBe('blocked');
    await pool.stop();
  });

  it('an equals that throws is a failed poll, not a crash', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok' });
    const pool = createProviderPool({
      ...base(clock),
      providers: ['a'],
      poll: s.poll,
      equals: () => {
        throw new Error('cannot compare');
      },
    });
    await pool.start();
    await clock.advance(5000);
    expect(pool.status('a')).toMatchObject({ state: 'quarantined', attempts: 1 });
    await pool.stop();
  });
});

describe('ProviderPool discovery', () => {
  it('a refresh adds new providers, stops removed ones and re-admits blocked ones', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok', b: 'fail', c: 'ok' });
    let list = [
      { id: 'a', url: 'http://a' },
      { id: 'b', url: 'http://b' },
    ];
    const pool = createProviderPool({
      ...base(clock),
      refreshMs: 10_000,
      providers: () => Promise.resolve(list),
      poll: (store) => s.poll(store.id),
    });
    const log = record(pool, clock);
    const refreshed: ProviderPoolEvents<number>['refreshed'][] = [];
    pool.on('refreshed', (e) => refreshed.push(e));
    await pool.start();
    await clock.advance(9999);
    expect(pool.status('b')?.state).toBe('blocked'); // blocked at 3000
    s.behaviour.set('b', 'ok');
    list = [
      { id: 'b', url: 'http://b2' },
      { id: 'c', url: 'http://c' },
    ];
    await clock.advance(1);
    expect(log.filter((l) => l.endsWith('@10000'))).toEqual([
      'removed:a@10000',
      'released:b@10000',
      'added:c@10000',
      'admitted:b@10000',
      'admitted:c@10000',
    ]);
    expect(refreshed).toEqual([
      { added: 2, removed: 0, total: 2 },
      { added: 1, removed: 1, total: 2 },
    ]);
    expect(pool.status('a')).toBeUndefined();
    expect(pool.status('b')?.provider).toEqual({ id: 'b', url: 'http://b2' });
    await clock.advance(20_000);
    expect(s.of('a')).toEqual([0, 5000]); // stopped when removed
    expect(
      pool
        .values()
        .map((v) => v.id)
        .sort(),
    ).toEqual(['b', 'c']);
    await pool.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a failing, hanging or malformed discovery keeps the current list', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok' });
    let mode: 'ok' | 'fail' | 'hang' | 'dup' = 'ok';
    const pool = createProviderPool({
      ...base(clock),
      refreshMs: 1000,
      providers: (): string[] | Promise<string[]> => {
        if (mode === 'fail') throw new Error('registry down');
        if (mode === 'hang') return new Promise<string[]>(() => undefined);
        return mode === 'dup' ? ['a', 'a'] : ['a'];
      },
      poll: s.poll,
    });
    const failures: string[] = [];
    pool.on('refresh-failed', (e) => failures.push((e.error as Error).message));
    await pool.start();
    await clock.flush();
    for (const m of ['fail', 'hang', 'dup'] as const) {
      mode = m;
      await clock.advance(m === 'hang' ? 2000 : 1000);
    }
    expect(failures).toEqual([
      'registry down',
      'discovery of "provider-pool" took longer than 1000 ms',
      'ProviderPool "provider-pool": providers[1] repeats the id "a"',
    ]);
    expect(pool.values().map((v) => v.id)).toEqual(['a']);
    await pool.stop();
  });

  it('refresh() reloads at once; it rejects when the pool is not running', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'fail' });
    const pool = createProviderPool({ ...base(clock), providers: ['a'], poll: s.poll });
    await expect(pool.refresh()).rejects.toMatchObject({ code: 'NOT_RUNNING' });
    await pool.start();
    await clock.advance(3000);
    expect(pool.status('a')?.state).toBe('blocked');
    await pool.refresh(); // a static list: a refresh re-admits its blocked providers
    await clock.flush();
    expect(s.of('a')).toEqual([0, 1000, 3000, 3000]);
    await pool.stop();
  });
});

describe('ProviderPool API', () => {
  it('leaderboard orders the allowed values and keeps the best n', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok', b: 'ok', c: 'ok', d: 'fail' });
    s.prices.set('a', 12).set('b', 9).set('c', 11);
    const pool = createProviderPool({
      ...base(clock),
      providers: ['a', 'b', 'c', 'd'],
      poll: s.poll,
    });
    await pool.start();
    await clock.flush();
    const cheapest = pool.leaderboard((x, y) => x - y, 2);
    expect(cheapest.map((e) => [e.id, e.value])).toEqual([
      ['b', 9],
      ['c', 11],
    ]);
    expect(pool.leaderboard((x, y) => y - x).map((e) => e.id)).toEqual(['a', 'c', 'b']);
    expect(() => pool.leaderboard(undefined as never)).toThrow(/compare must be a function/);
    expect(() => pool.leaderboard((x, y) => x - y, -1)).toThrow(/n must be >= 0/);
    await pool[Symbol.asyncDispose]();
  });

  it('runs under a supervisor; stopping the tree stops every poll', async () => {
    const clock = new FakeClock();
    const s = stores(clock, { a: 'ok', b: 'ok' });
    const pool = createProviderPool({
      ...base(clock),
      id: 'prices',
      providers: ['a', 'b'],
      poll: s.poll,
    });
    const app = createSupervisor({ clock, children: [{ id: 'prices', task: pool }] });
    await app.start();
    await clock.flush();
    expect(app.countChildren()).toMatchObject({ active: 1, supervisors: 1 });
    expect(pool.values()).toHaveLength(2);
    await expect(pool.start()).rejects.toThrow(/"prices" is already running/); // one run at a time
    await app.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a bug in the pool configuration (a policy returning NaN) crashes the pool: it escalates', async () => {
    const clock = new FakeClock();
    const pool = createProviderPool({
      clock,
      providers: ['a'],
      backoff: policy(() => Number.NaN),
      poll: () => Promise.reject(new Error('no')),
    });
    await pool.start();
    const exit = await pool.done;
    expect(exit?.reason).toBe('crashed');
    expect(hasErrorCode(exit?.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
  });

  const cases: [string, unknown, RegExp][] = [
    ['no options', undefined, /options must be an object/],
    [
      'no providers',
      { poll: () => 1 },
      /providers must be an array of providers or a discovery function/,
    ],
    ['no poll', { providers: [] }, /poll must be a function/],
    [
      'duplicate ids',
      { providers: ['a', { id: 'a' }], poll: () => 1 },
      /providers\[1\] repeats the id "a"/,
    ],
    [
      'empty id',
      { providers: [{ id: '' }], poll: () => 1 },
      /providers\[0\] must be a non-empty string or have an id/,
    ],
    [
      'bad period',
      { id: 'p', providers: [], poll: () => 1, periodMs: 0 },
      /ProviderPool "p": periodMs must be a number of ms > 0, got 0/,
    ],
    [
      'bad refresh',
      { providers: [], poll: () => 1, refreshMs: Infinity },
      /refreshMs must be a number of ms > 0, got Infinity/,
    ],
    [
      'bad timeout',
      { providers: [], poll: () => 1, pollTimeoutMs: -1 },
      /pollTimeoutMs must be a number of ms > 0 \(or Infinity\)/,
    ],
    [
      'bad attempts',
      { providers: [], poll: () => 1, maxAttempts: 0 },
      /maxAttempts must be an integer >= 1, got 0/,
    ],
    [
      'bad backoff',
      { providers: [], poll: () => 1, backoff: 5 },
      /backoff must be a backoff policy/,
    ],
    ['bad equals', { providers: [], poll: () => 1, equals: true }, /equals must be a function/],
    ['bad id', { id: 7, providers: [], poll: () => 1 }, /id must be a non-empty string/],
  ];
  it.each(cases)('rejects bad options: %s', (_name, options, message) => {
    expect(() => createProviderPool(options as ProviderPoolOptions<string, number>)).toThrow(
      message,
    );
  });
});
