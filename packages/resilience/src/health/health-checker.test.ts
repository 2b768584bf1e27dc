import { afterEach, describe, expect, it, vi } from 'vitest';
import { constant, exponential } from '../backoff/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { createSupervisor, type RestartType } from '../supervision/index.js';
import { createHealthChecker, type HealthChecker } from './health-checker.js';
import type { HealthSnapshot, ProbeHealthOptions } from './health-types.js';

/** A dependency the test switches up and down; the checker polls it through a probe. */
function dependency(initiallyUp: boolean) {
  const state = { up: initiallyUp, probes: [] as number[] };
  const probe = (clock: FakeClock) => () => {
    state.probes.push(clock.monotonic());
    return state.up ? Promise.resolve('ok') : Promise.reject(new Error('ECONNREFUSED'));
  };
  return { state, probe };
}

interface Log {
  readonly calls: { name: string; at: number; snapshot: HealthSnapshot }[];
  readonly names: () => string[];
}

function checkerWith(
  clock: FakeClock,
  probe: () => Promise<unknown>,
  options: Partial<ProbeHealthOptions> = {},
): { checker: HealthChecker; log: Log } {
  const calls: Log['calls'] = [];
  const record = (name: string) => (snapshot: HealthSnapshot) =>
    void calls.push({ name, at: clock.monotonic(), snapshot });
  const checker = createHealthChecker({
    id: 'db',
    name: 'db',
    probe,
    intervalMs: 5000,
    clock,
    onConnect: record('connect'),
    onDisconnect: record('disconnect'),
    onFailure: record('failure'),
    ...options,
  });
  return { checker, log: { calls, names: () => calls.map((c) => `${c.name}@${c.at}`) } };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('HealthChecker timeline (FakeClock)', () => {
  it('a dependency down from the start: first try at 0, 10 retries at 1 s, onFailure at t = 10 s', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker, log } = checkerWith(clock, dep.probe(clock));
    const done = checker.start();
    await done;
    await clock.advance(9_999);
    expect(log.names()).toEqual(['disconnect@0']);
    await clock.advance(1);
    expect(log.names()).toEqual(['disconnect@0', 'failure@10000']);
    expect(dep.state.probes).toEqual([
      0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000,
    ]);
    const [disconnect, failure] = log.calls;
    expect(disconnect?.snapshot).toMatchObject({ status: 'down', failureCount: 1, retries: 0 });
    expect(failure?.snapshot).toMatchObject({
      status: 'failed',
      failureCount: 11,
      retries: 10,
      attempts: 11,
      failures: 1,
    });
    expect((failure?.snapshot.lastError as Error).message).toBe('ECONNREFUSED');
    const exit = await checker.done;
    expect(exit?.reason).toBe('crashed');
    expect(hasErrorCode(exit?.error, 'MAX_RETRIES_EXCEEDED')).toBe(true);
    expect(exit?.error).toMatchObject({ reason: 'max_retries_exceeded', retries: 10 });
    expect(checker.status).toBe('failed');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a dependency that goes down: onDisconnect when seen, 10 retries at 1 s, onFailure 10 s later', async () => {
    const clock = new FakeClock();
    const dep = dependency(true);
    const { checker, log } = checkerWith(clock, dep.probe(clock), { afterFailure: 'keep-trying' });
    await checker.start();
    await clock.advance(1000);
    dep.state.up = false;
    await clock.advance(4000); // the probe at 5 s fails
    expect(log.names()).toEqual(['connect@0', 'disconnect@5000']);
    // losing a link is not a failed attempt: the count is of reconnection attempts that failed
    expect(log.calls[1]?.snapshot).toMatchObject({ status: 'down', failureCount: 0, retries: 0 });
    await clock.advance(10_000);
    expect(log.names()).toEqual(['connect@0', 'disconnect@5000', 'failure@15000']);
    expect(log.calls[2]?.snapshot).toMatchObject({ failureCount: 10, retries: 10 });
    // keep-trying: still retried every second, staying failed until it answers again
    await clock.advance(3000);
    expect(checker.status).toBe('failed');
    dep.state.up = true;
    await clock.advance(1000);
    expect(log.names().at(-1)).toBe('connect@19000');
    expect(log.calls.at(-1)?.snapshot).toMatchObject({
      status: 'up',
      failureCount: 0,
      retries: 0,
      failures: 1,
      lastError: undefined,
    });
    await checker.stop();
    expect(checker.status).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a connection lost and found again within the retries never declares failure', async () => {
    const clock = new FakeClock();
    const dep = dependency(true);
    const { checker, log } = checkerWith(clock, dep.probe(clock), { intervalMs: 1000 });
    await checker.start();
    dep.state.up = false;
    await clock.advance(4000); // lost at 1 s, retries at 2, 3, 4 fail
    dep.state.up = true;
    await clock.advance(1000);
    expect(log.names()).toEqual(['connect@0', 'disconnect@1000', 'connect@5000']);
    // the retry count starts again after a recovery: 10 more retries before a failure
    dep.state.up = false;
    await clock.advance(1000 + 10_000);
    expect(log.names().slice(3)).toEqual(['disconnect@6000', 'failure@16000']);
  });

  it('keep-trying continues at the policy cap; a policy that stops early declares failure early', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker, log } = checkerWith(clock, dep.probe(clock), {
      retry: exponential({ initialMs: 1000, maxMs: 4000 }).withMaxRetries(3),
      afterFailure: 'keep-trying',
    });
    await checker.start();
    await clock.advance(60_000);
    // tries at 0, retries at 1, 3, 7 s; the policy stops there → failure at 7 s; then every 4 s (its cap)
    expect(log.names()).toEqual(['disconnect@0', 'failure@7000']);
    expect(dep.state.probes.slice(0, 7)).toEqual([0, 1000, 3000, 7000, 11_000, 15_000, 19_000]);
    await checker.stop();
  });

  it('maxRetries 0 declares failure on the first failed attempt', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker, log } = checkerWith(clock, dep.probe(clock), { maxRetries: 0 });
    await checker.start();
    expect(log.names()).toEqual(['disconnect@0', 'failure@0']);
    expect((await checker.done)?.reason).toBe('crashed');
  });

  it('a probe that hangs fails after timeoutMs, and its signal aborts', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const { checker, log } = checkerWith(
      clock,
      () => new Promise(() => undefined), // never settles
      { timeoutMs: 300, maxRetries: 1 },
    );
    const hung = createHealthChecker({
      name: 'hung',
      clock,
      timeoutMs: 300,
      maxRetries: 0,
      probe: ({ signal }) => {
        signals.push(signal);
        return new Promise(() => undefined);
      },
    });
    await checker.start();
    await hung.start();
    await clock.advance(299);
    expect(log.names()).toEqual([]);
    await clock.advance(1);
    expect(log.names()).toEqual(['disconnect@300']);
    expect((log.calls[0]?.snapshot.lastError as Error).message).toMatch(
      /did not answer within 300 ms/,
    );
    expect(signals[0]?.aborted).toBe(true);
    expect(hasErrorCode(signals[0]?.reason, 'TIMEOUT')).toBe(true);
    await clock.advance(1300);
    expect(log.names()).toEqual(['disconnect@300', 'failure@1600']);
    expect((await hung.done)?.reason).toBe('crashed');
  });

  it('a probe that throws synchronously is a failed attempt, not a crash of the checker', async () => {
    const clock = new FakeClock();
    const { checker, log } = checkerWith(clock, () => {
      throw new Error('bad config');
    });
    await checker.start();
    expect(log.names()).toEqual(['disconnect@0']);
    expect(checker.snapshot().lastError).toMatchObject({ message: 'bad config' });
    await checker.stop();
  });
});

describe('HealthChecker under a supervisor', () => {
  it.each<RestartType>(['transient', 'permanent'])(
    'afterFailure stop + %s: restarted after every failure, never taking the supervisor down',
    async (restart) => {
      const clock = new FakeClock();
      const dep = dependency(false);
      const { checker, log } = checkerWith(clock, dep.probe(clock));
      const sup = createSupervisor({
        id: 'app',
        clock,
        children: [{ id: 'db-health', task: checker, restart }],
      });
      const gaveUp: unknown[] = [];
      sup.on('gave-up', (e) => gaveUp.push(e));
      await sup.start();
      await clock.advance(120_000);
      // every run lasts 10 s (first try + 10 retries at 1 s): one restart per 10 s, under 3 per 5 s
      const failures = log.calls.filter((c) => c.name === 'failure').map((c) => c.at);
      expect(failures).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 10_000));
      expect(gaveUp).toEqual([]);
      expect(sup.whichChildren()[0]).toMatchObject({ status: 'running', restarts: 12 });
      dep.state.up = true;
      await clock.advance(1000);
      expect(log.names().at(-1)).toBe('connect@121000');
      expect(checker.snapshot()).toMatchObject({ status: 'up', failures: 12 });
      await sup.stop();
      expect(checker.status).toBe('stopped');
    },
  );

  it('temporary: the checker is forgotten after its failure (switch for good)', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker, log } = checkerWith(clock, dep.probe(clock));
    const sup = createSupervisor({
      clock,
      children: [{ id: 'db-health', task: checker, restart: 'temporary' }],
    });
    await sup.start();
    await clock.advance(60_000);
    expect(log.names()).toEqual(['disconnect@0', 'failure@10000']);
    expect(sup.whichChildren()).toEqual([]);
    await sup.stop();
  });

  it('runs shorter than periodMs / intensity do take the supervisor down: keep retries × delay above it', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker } = checkerWith(clock, dep.probe(clock), { retry: constant(100) });
    const sup = createSupervisor({
      clock,
      children: [{ id: 'db-health', task: checker, restart: 'transient' }],
    });
    await sup.start();
    await clock.advance(5000); // runs of 1 s: 4 restarts within 5 s > intensity 3
    const exit = await sup.done;
    expect(hasErrorCode(exit?.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
  });
});

describe('HealthChecker callbacks and events', () => {
  it('callbacks get frozen snapshots; events mirror them; attempt-failed reports every failure', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    const { checker, log } = checkerWith(clock, dep.probe(clock), { maxRetries: 2 });
    const events: string[] = [];
    checker.on('connect', (s) => events.push(`connect:${s.status}`));
    checker.on('disconnect', (s) => events.push(`disconnect:${s.status}`));
    checker.on('failure', (s) => events.push(`failure:${s.status}`));
    checker.on('attempt-failed', (s) => events.push(`attempt-failed:${s.failureCount}`));
    await checker.start();
    await clock.advance(2000);
    expect(events).toEqual([
      'attempt-failed:1',
      'disconnect:down',
      'attempt-failed:2',
      'attempt-failed:3',
      'failure:failed',
    ]);
    const snapshot = log.calls[0]!.snapshot;
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(() => {
      (snapshot as { status: string }).status = 'up';
    }).toThrow(TypeError);
    expect(snapshot.since).toBe(clock.now() - 2000);
  });

  it('async callbacks never block the checker; throwing and rejecting ones are reported, not fatal', async () => {
    const clock = new FakeClock();
    const dep = dependency(true);
    const errors: string[] = [];
    const checker = createHealthChecker({
      name: 'db',
      probe: dep.probe(clock),
      intervalMs: 1000,
      clock,
      onConnect: () => new Promise(() => undefined), // never settles
      onDisconnect: () => {
        throw new Error('disconnect handler broke');
      },
      onFailure: () => Promise.reject(new Error('failure handler broke')),
      maxRetries: 1,
    });
    checker.on('callback-error', (e) =>
      errors.push(`${e.callback}:${(e.error as Error).message}:${e.snapshot.status}`),
    );
    await checker.start();
    expect(checker.status).toBe('up');
    dep.state.up = false;
    await clock.advance(2000);
    expect(checker.status).toBe('failed');
    expect(errors).toEqual([
      'onDisconnect:disconnect handler broke:down',
      'onFailure:failure handler broke:failed',
    ]);
  });

  it('a failing callback with no callback-error listener becomes a process warning', async () => {
    const clock = new FakeClock();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const checker = createHealthChecker({
      id: 'cache',
      probe: () => Promise.resolve(),
      clock,
      onConnect: () => {
        throw new Error('boom');
      },
    });
    await checker.start();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/onConnect of health checker "cache" failed: Error: boom/),
      { code: 'VIGIL_HEALTH_CALLBACK_ERROR' },
    );
    await checker.stop();
  });

  it('a callback may stop the checker from inside: nothing runs after', async () => {
    const clock = new FakeClock();
    const dep = dependency(false);
    let checker: HealthChecker | undefined;
    checker = createHealthChecker({
      probe: dep.probe(clock),
      clock,
      onDisconnect: () => void checker?.stop(),
    });
    await checker.start();
    await clock.flush();
    expect(checker.status).toBe('stopped');
    expect((await checker.done)?.reason).toBe('shutdown');
    expect(clock.pendingTimers).toBe(0);
    checker = undefined;
  });
});

describe('HealthChecker lifecycle', () => {
  it('refuses to run twice at once, and can be started again after it stops', async () => {
    const clock = new FakeClock();
    const checker = createHealthChecker({ probe: () => Promise.resolve(), clock });
    expect(checker.id).toBe('health:probe probe');
    expect(checker.target).toBe('probe probe');
    await checker.start();
    await expect(checker.start()).rejects.toThrow(/already running/);
    const ctx = {
      id: 'x',
      clock,
      signal: new AbortController().signal,
      onStop: () => () => undefined,
      ready: () => undefined,
    };
    await expect(checker.run(ctx)).rejects.toThrow(/already running/);
    await checker.stop();
    await checker.start();
    expect(checker.status).toBe('up');
    await checker[Symbol.asyncDispose]();
    expect(checker.status).toBe('stopped');
    expect(await checker.close()).toMatchObject({ reason: 'shutdown' });
  });

  it('stop() before start() is harmless', async () => {
    const checker = createHealthChecker({ port: 5432 });
    expect(await checker.stop()).toEqual({ reason: 'shutdown' });
    expect(checker.done).toBeUndefined();
    expect(checker.snapshot()).toMatchObject({ status: 'stopped', target: 'tcp localhost:5432' });
  });
});
