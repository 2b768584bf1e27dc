import { describe, expect, it } from 'vitest';
import { constant } from '../backoff/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { Emitter } from '../events/index.js';
import { failover, failoverControl } from './failover.js';
import type { FailoverEvents, FailoverOptions, HealthSource } from './failover-types.js';
import { createHealthChecker } from './health-checker.js';
import type { HealthSnapshot, HealthStatus } from './health-types.js';

interface Store {
  readonly name: string;
  write(key: string): Promise<string>;
  keys(): Promise<string[]>;
}

/** A store whose writes can be held open by the test, to have calls in flight across a switch. */
function store(name: string) {
  const keys: string[] = [];
  const pending: (() => void)[] = [];
  let slow = false;
  const s: Store & { slow: boolean; finish(): void; data: string[] } = {
    name,
    data: keys,
    get slow() {
      return slow;
    },
    set slow(v: boolean) {
      slow = v;
    },
    write(key: string) {
      const commit = (): string => {
        keys.push(key);
        return `${name}:${key}`;
      };
      if (!slow) return Promise.resolve(commit());
      return new Promise((resolve) => pending.push(() => resolve(commit())));
    },
    keys: () => Promise.resolve([...keys]),
    finish() {
      for (const f of pending.splice(0)) f();
    },
  };
  return s;
}

/** A health source the test drives by hand. */
function health(status: HealthStatus = 'up') {
  const events = new Emitter<{ connect: HealthSnapshot; failure: HealthSnapshot }>();
  const snapshot = {} as HealthSnapshot;
  const source: HealthSource & { fail(): void; recover(): void } = {
    status,
    on: (name, listener) => events.on(name, listener),
    fail: () => events.emit('failure', snapshot),
    recover: () => events.emit('connect', snapshot),
  };
  return source;
}

function setup(options: Partial<FailoverOptions<Store>> & { noReconcile?: boolean } = {}) {
  const clock = new FakeClock();
  const primary = store('db');
  const replacement = store('memory');
  const h = health();
  const log: string[] = [];
  const { noReconcile, ...rest } = options;
  const service = failover<Store>({
    primary,
    replacement,
    health: h,
    clock,
    ...(noReconcile === true
      ? {}
      : {
          reconcile: async ({ primary: p, replacement: r }) => {
            const keys = await r.keys();
            log.push(`reconcile:${keys.join(',')}`);
            for (const key of keys) await p.write(key);
            (r as ReturnType<typeof store>).data.length = 0;
          },
        }),
    ...rest,
  });
  const control = failoverControl(service);
  const events: string[] = [];
  for (const name of ['switched', 'reconciling', 'reconcile-failed'] as const) {
    control.on(name, (e: FailoverEvents[typeof name]) =>
      events.push('to' in e ? `${name}:${e.to}:${e.reason}` : name),
    );
  }
  return { clock, primary, replacement, health: h, service, control, log, events };
}

describe('failover switch', () => {
  it('routes to the primary while healthy and to the replacement after failure', async () => {
    const { service, health: h, control, events, primary, replacement } = setup();
    expect(await service.write('a')).toBe('db:a');
    expect(service.name).toBe('db');
    expect('write' in service).toBe(true);
    h.fail();
    expect(control.state).toBe('replacement');
    expect(await service.write('b')).toBe('memory:b');
    expect(service.name).toBe('memory');
    expect(events).toEqual(['switched:replacement:failure']);
    expect(primary.data).toEqual(['a']);
    expect(replacement.data).toEqual(['b']);
    h.fail(); // a second failure (the checker restarted and failed again) changes nothing
    expect(events).toHaveLength(1);
  });

  it('calls in flight during a switch finish on the target they started on', async () => {
    const { service, health: h, control, primary, replacement } = setup();
    primary.slow = true;
    const a = service.write('a'); // in flight on the primary
    const b = service.write('b');
    expect(control.inFlight).toEqual({ primary: 2, replacement: 0 });
    h.fail();
    const c = service.write('c'); // new calls go to the replacement at once
    primary.finish();
    expect(await Promise.all([a, b, c])).toEqual(['db:a', 'db:b', 'memory:c']);
    expect(primary.data).toEqual(['a', 'b']);
    expect(replacement.data).toEqual(['c']);
    expect(control.inFlight).toEqual({ primary: 0, replacement: 0 });
  });

  it('on recovery: holds new calls, drains the replacement, reconciles, then switches back', async () => {
    const { service, health: h, control, primary, replacement, log, events, clock } = setup();
    h.fail();
    await service.write('x');
    replacement.slow = true;
    const y = service.write('y'); // in flight on the replacement when the primary returns
    h.recover();
    expect(control.state).toBe('reconciling');
    const z = service.write('z'); // held: neither the replacement (reconcile may have read it) nor the primary yet
    expect(control.held).toBe(1);
    await clock.flush();
    expect(log).toEqual([]); // reconcile waits for y
    replacement.finish();
    expect(await y).toBe('memory:y');
    expect(await z).toBe('db:z');
    expect(log).toEqual(['reconcile:x,y']);
    expect(primary.data).toEqual(['x', 'y', 'z']); // reconciled before z ran
    expect(replacement.data).toEqual([]);
    expect(control.state).toBe('primary');
    expect(events).toEqual([
      'switched:replacement:failure',
      'reconciling',
      'switched:primary:recovered',
    ]);
    // every write landed exactly once
    expect([...primary.data].sort()).toEqual(['x', 'y', 'z']);
  });

  it('a failed reconcile keeps calls on the replacement and is retried on the backoff', async () => {
    let fails = 1;
    const reconciled: number[] = [];
    const {
      service,
      health: h,
      control,
      events,
      clock,
      replacement,
    } = setup({
      reconcileRetry: constant(500),
      reconcile: ({ attempt }) => {
        reconciled.push(clock.monotonic());
        if (fails-- > 0) return Promise.reject(new Error(`attempt ${attempt}: db still starting`));
        return Promise.resolve();
      },
    });
    const failed: FailoverEvents['reconcile-failed'][] = [];
    control.on('reconcile-failed', (e) => failed.push(e));
    h.fail();
    h.recover();
    const held = service.write('during');
    await clock.flush();
    expect(control.state).toBe('replacement');
    expect(await held).toBe('memory:during'); // released to the replacement, not lost
    expect(replacement.data).toEqual(['during']);
    expect(failed[0]).toMatchObject({ attempt: 1, retryInMs: 500 });
    expect((failed[0]?.error as Error).message).toBe('attempt 1: db still starting');
    await clock.advance(500);
    expect(control.state).toBe('primary');
    expect(reconciled).toEqual([0, 500]);
    expect(events.at(-1)).toBe('switched:primary:recovered');
  });

  it('a primary that fails again mid-reconcile aborts it; the next recovery reconciles again', async () => {
    const signals: AbortSignal[] = [];
    let finishFirst: (() => void) | undefined;
    const {
      health: h,
      control,
      clock,
    } = setup({
      reconcile: ({ signal }) => {
        signals.push(signal);
        if (signals.length === 1) return new Promise<void>((r) => (finishFirst = r));
        return Promise.resolve();
      },
    });
    h.fail();
    h.recover();
    await clock.flush();
    h.fail();
    await clock.flush();
    expect(signals[0]?.aborted).toBe(true);
    expect(control.state).toBe('replacement');
    finishFirst?.(); // finishing late changes nothing
    await clock.flush();
    expect(control.state).toBe('replacement');
    expect(clock.pendingTimers).toBe(0); // no retry while the primary is down
    h.recover();
    await clock.flush();
    expect(control.state).toBe('primary');
  });

  it('a reconcile that takes longer than reconcileTimeoutMs is aborted and counts as failed', async () => {
    const {
      health: h,
      control,
      clock,
    } = setup({
      reconcileTimeoutMs: 1000,
      reconcileRetry: constant(60_000).withMaxRetries(0),
      reconcile: () => new Promise(() => undefined),
    });
    const failed: FailoverEvents['reconcile-failed'][] = [];
    control.on('reconcile-failed', (e) => failed.push(e));
    h.fail();
    h.recover();
    await clock.advance(1000);
    expect(control.state).toBe('replacement');
    expect(hasErrorCode(failed[0]?.error, 'TIMEOUT')).toBe(true);
    expect(failed[0]?.retryInMs).toBeUndefined(); // the policy allows no retry
  });

  it('without reconcile it switches back as soon as the replacement drains', async () => {
    const { service, health: h, control } = setup({ noReconcile: true });
    h.fail();
    h.recover();
    expect(await service.write('k')).toBe('db:k');
    expect(control.state).toBe('primary');
  });

  it('starts on the replacement when the health source has already failed; close() stops following it', async () => {
    const primary = store('db');
    const replacement = store('memory');
    const h = health('failed');
    const service = failover<Store>({ primary, replacement, health: h });
    const control = failoverControl(service);
    expect(control.state).toBe('replacement');
    expect(control.id).toBe('failover');
    control.close();
    control.close();
    h.recover();
    expect(control.route).toBe('replacement');
    expect(await service.write('a')).toBe('memory:a');
  });

  it('a method that throws synchronously propagates, and is not counted in flight', () => {
    const target = {
      boom: (): Promise<void> => {
        throw new Error('sync boom');
      },
    };
    const service = failover({ primary: target, replacement: target, health: health() });
    expect(() => service.boom()).toThrow('sync boom');
    expect(failoverControl(service).inFlight).toEqual({ primary: 0, replacement: 0 });
  });

  it('follows a real HealthChecker: 10 failed retries at 1 s, then the replacement', async () => {
    const clock = new FakeClock();
    let dbUp = true;
    const checker = createHealthChecker({
      name: 'db',
      clock,
      intervalMs: 1000,
      probe: () => (dbUp ? Promise.resolve() : Promise.reject(new Error('down'))),
      afterFailure: 'keep-trying',
    });
    const service = failover<Store>({
      primary: store('db'),
      replacement: store('memory'),
      health: checker,
      clock,
    });
    await checker.start();
    dbUp = false;
    await clock.advance(1000); // noticed
    await clock.advance(9999);
    expect(await service.write('a')).toBe('db:a'); // still retrying: the app sees the primary
    await clock.advance(1);
    expect(await service.write('b')).toBe('memory:b');
    dbUp = true;
    await clock.advance(1000);
    expect(await service.write('c')).toBe('db:c');
    await checker.stop();
  });

  it.each([
    ['no options', undefined, /options must be/],
    ['no primary', { replacement: {}, health: health() }, /primary must be an object/],
    ['no replacement', { primary: {}, health: health() }, /replacement must be an object/],
    ['no health', { primary: {}, replacement: {} }, /health must be a HealthChecker/],
    [
      'bad reconcile',
      { primary: {}, replacement: {}, health: health(), reconcile: 'copy' },
      /reconcile must be a function, got string/,
    ],
    [
      'bad timeout',
      { id: 'db', primary: {}, replacement: {}, health: health(), reconcileTimeoutMs: 0 },
      /failover "db": reconcileTimeoutMs must be a number of ms > 0, got 0/,
    ],
  ])('rejects bad options: %s', (_name, options, message) => {
    expect(() => failover(options as unknown as FailoverOptions<object>)).toThrow(message);
  });

  it('takes only interfaces whose methods return promises (checked by the type system)', () => {
    const sync = { get: (key: string) => key };
    // @ts-expect-error -- get() returns a string: a call held during a reconcile could not answer it
    const service = failover({ primary: sync, replacement: sync, health: health() });
    expect(typeof service).toBe('object');
  });

  it('failoverControl refuses other objects', () => {
    expect(() => failoverControl({})).toThrow(/not an object made by failover/);
  });
});
