import { FakeClock, seededRandom } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CheckContext, CheckKind, CheckResult, Outcome } from '../checks/index.js';
import { loadConfig, type Config } from '../config/index.js';
import { createEngine, type Engine, type EngineOptions } from './engine.js';
import type { ChangeEvent, CheckedEvent, LifecycleEvent, MonitorState } from './types.js';

/** How the scripted kind behaves for a monitor on each run. */
type Step = Outcome | 'throw' | { sleep: number; then?: Outcome } | 'hang';

/** A check kind driven by the test: each monitor follows its script (the last step repeats). */
function scriptedKind(
  scripts: Map<string, Step[]>,
  log: string[],
  clock: FakeClock,
  failCreate = new Set<string>(),
): CheckKind {
  return {
    name: 'scripted',
    description: 'test kind',
    schema: z.object({}).strict(),
    create(_config, _deps, id) {
      if (failCreate.has(id)) throw new Error(`cannot load recipe for ${id}`);
      let i = 0;
      return {
        async run(ctx: CheckContext): Promise<CheckResult> {
          const script = scripts.get(id) ?? ['ok'];
          const step = script[Math.min(i++, script.length - 1)] ?? 'ok';
          const start = clock.monotonic();
          log.push(`${id}@${start}`);
          if (step === 'throw') throw new Error(`${id} recipe threw`);
          if (step === 'hang') return new Promise<CheckResult>(() => {});
          let outcome: Outcome = 'ok';
          if (typeof step === 'object') {
            try {
              await clock.sleep(step.sleep, ctx.signal);
            } catch {
              return {
                outcome: 'fail',
                message: 'timed out',
                latencyMs: clock.monotonic() - start,
              };
            }
            outcome = step.then ?? 'ok';
          } else outcome = step;
          return { outcome, message: `${outcome} #${i}`, latencyMs: clock.monotonic() - start };
        },
      };
    },
  };
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

interface Harness {
  engine: Engine;
  clock: FakeClock;
  log: string[];
  scripts: Map<string, Step[]>;
  checked: CheckedEvent[];
  changes: ChangeEvent[];
  lifecycle: LifecycleEvent[];
  config: (yaml: string) => Config;
}

function harness(options: Partial<EngineOptions> & { failCreate?: Set<string> } = {}): Harness {
  const clock = new FakeClock({ startWall: Date.UTC(2026, 0, 1) });
  const log: string[] = [];
  const scripts = new Map<string, Step[]>();
  const kinds = { scripted: scriptedKind(scripts, log, clock, options.failCreate) };
  const engine = createEngine({
    kinds,
    deps: { configDir: '.', heartbeats: { last: () => undefined } },
    clock,
    random: seededRandom(3),
    spreadPerMonitorMs: 0,
    ...options,
  });
  engines.push(engine);
  const checked: CheckedEvent[] = [];
  const changes: ChangeEvent[] = [];
  const lifecycle: LifecycleEvent[] = [];
  engine.on('checked', (e) => checked.push(e));
  engine.on('change', (e) => changes.push(e));
  engine.on('lifecycle', (e) => lifecycle.push(e));
  const config = (yaml: string): Config =>
    loadConfig(yaml, { file: 'test.yaml', dir: '.', env: {}, kinds });
  return { engine, clock, log, scripts, checked, changes, lifecycle, config };
}

const monitors = (...lines: string[]) =>
  `defaults: { retry: { initial: 1s, jitter: none } }\nmonitors:\n${lines.map((l) => `  - ${l}`).join('\n')}\n`;

describe('Engine', () => {
  it('runs each monitor at its interval, fixed-rate', async () => {
    const h = harness();
    await h.engine.start(
      h.config(
        monitors(
          '{ id: a, interval: 10s, scripted: {} }',
          '{ id: b, interval: 15s, scripted: {} }',
        ),
      ),
    );
    await h.clock.advance(30_000);
    // ties fire in the order the timers were set: b's 30 s run was planned (at 15 s) before a's (at 20 s)
    expect(h.log).toEqual(['a@0', 'b@0', 'a@10000', 'b@15000', 'a@20000', 'b@30000', 'a@30000']);
    expect(h.engine.get('a')?.state.status).toBe('up');
  });

  it('spreads first runs over monitors × spreadPerMonitorMs, capped at the interval', async () => {
    const h = harness({ spreadPerMonitorMs: 1000 });
    await h.engine.start(
      h.config(
        monitors(...['a', 'b', 'c', 'd'].map((id) => `{ id: ${id}, interval: 10s, scripted: {} }`)),
      ),
    );
    await h.clock.advance(3999);
    const firsts = h.log.map((l) => Number(l.split('@')[1]));
    expect(firsts).toHaveLength(4);
    expect(new Set(firsts).size).toBe(4);
    expect(Math.max(...firsts)).toBeLessThan(4000);
  });

  it('retries a failing monitor on the backoff, confirms down at the threshold, recovers on success', async () => {
    const h = harness();
    h.scripts.set('api', ['ok', 'fail', 'fail', 'fail', 'ok']);
    await h.engine.start(h.config(monitors('{ id: api, interval: 60s, scripted: {} }')));
    await h.clock.advance(60_000 + 1000 + 2000 + 4000);
    expect(h.log).toEqual(['api@0', 'api@60000', 'api@61000', 'api@63000', 'api@67000']);
    expect(
      h.changes.map(
        (c) =>
          `${c.change.from}→${c.change.to}@${h.clock.now() - Date.UTC(2026, 0, 1) >= 0 ? c.change.at - Date.UTC(2026, 0, 1) : 0}`,
      ),
    ).toEqual(['pending→up@0', 'up→pending@60000', 'pending→down@63000', 'down→up@67000']);
    expect(h.lifecycle.map((l) => `${l.from}→${l.to}`)).toEqual([
      'running→backing-off',
      'backing-off→running',
    ]);
    // back on the interval, counted from the recovery's planned run
    await h.clock.advance(60_000);
    expect(h.log.at(-1)).toBe('api@127000');
  });

  it('never runs one monitor twice at once, and reports lag when a run overruns the interval', async () => {
    const h = harness();
    h.scripts.set('slow', [{ sleep: 2500 }]);
    await h.engine.start(
      h.config(monitors('{ id: slow, interval: 1s, timeout: 1s, scripted: {} }')),
    );
    await h.clock.advance(3000);
    // timeout 1s: the sleep is aborted at 1s → fail; retries at 1s backoff
    expect(h.log).toEqual(['slow@0', 'slow@2000']);
    expect(h.checked[0]?.result).toMatchObject({
      outcome: 'fail',
      message: 'timed out',
      latencyMs: 1000,
    });
  });

  it('caps checks in flight globally; queueing shows as lag, not as latency', async () => {
    const h = harness({ maxConcurrentChecks: 2 });
    for (const id of ['a', 'b', 'c', 'd']) h.scripts.set(id, [{ sleep: 500 }]);
    await h.engine.start(
      h.config(
        monitors(...['a', 'b', 'c', 'd'].map((id) => `{ id: ${id}, interval: 10s, scripted: {} }`)),
      ),
    );
    await h.clock.advance(1000);
    expect(h.log).toEqual(['a@0', 'b@0', 'c@500', 'd@500']);
    const byId = Object.fromEntries(h.checked.map((e) => [e.monitorId, e.result]));
    expect(byId.c).toMatchObject({ latencyMs: 500, lagMs: 500 });
    expect(byId.a).toMatchObject({ latencyMs: 500, lagMs: 0 });
    expect(h.engine.load).toEqual({ running: 0, waiting: 0 });
  });

  it('abandons a check that ignores its timeout, a second after it', async () => {
    const h = harness();
    h.scripts.set('stuck', ['hang']);
    await h.engine.start(
      h.config(monitors('{ id: stuck, interval: 10s, timeout: 2s, scripted: {} }')),
    );
    await h.clock.advance(3000);
    expect(h.checked[0]?.result).toMatchObject({
      outcome: 'fail',
      message: 'timed out after 2s (the check did not stop when asked)',
      latencyMs: 3000,
    });
  });

  it('a crash storm in one recipe marks it crashed past its intensity; the others run on', async () => {
    const h = harness({ restartIntensity: 3 });
    h.scripts.set('bad', ['throw']);
    const crashes: string[] = [];
    h.engine.on('crash', (e) => crashes.push((e.error as Error).message));
    await h.engine.start(
      h.config(
        monitors(
          '{ id: bad, interval: 10s, scripted: {} }',
          '{ id: good, interval: 10s, scripted: {} }',
        ),
      ),
    );
    await h.clock.advance(1000);
    expect(crashes).toEqual(Array(4).fill('bad recipe threw'));
    expect(h.engine.get('bad')?.state).toMatchObject({
      status: 'down',
      lifecycle: 'crashed',
      reason: 'crashed: bad recipe threw',
    });
    expect(h.lifecycle.find((l) => l.monitorId === 'bad')).toMatchObject({ to: 'crashed' });
    await h.clock.advance(20_000);
    expect(h.log.filter((l) => l.startsWith('good'))).toEqual([
      'good@0',
      'good@10000',
      'good@20000',
    ]);
    expect(h.log.filter((l) => l.startsWith('bad'))).toHaveLength(4);
    // resumed: runs again (and crashes again, here)
    h.scripts.set('bad', ['ok']);
    await h.engine.resume('bad');
    await h.clock.advance(0);
    expect(h.engine.get('bad')?.state).toMatchObject({ status: 'up', lifecycle: 'running' });
  });

  it('a check that cannot be built marks the monitor crashed with the reason', async () => {
    const h = harness({ failCreate: new Set(['ci']) });
    await h.engine.start(h.config(monitors('{ id: ci, scripted: {} }')));
    expect(h.engine.get('ci')?.state).toMatchObject({
      lifecycle: 'crashed',
      reason: 'crashed: cannot load recipe for ci',
    });
  });

  it('pause stops checking; resume and runNow check at once', async () => {
    const h = harness();
    await h.engine.start(h.config(monitors('{ id: a, interval: 10s, scripted: {} }')));
    await h.clock.advance(1000);
    expect(await h.engine.pause('a')).toBe(true);
    expect(h.engine.get('a')?.state).toMatchObject({ status: 'paused', lifecycle: 'disabled' });
    expect(h.engine.runNow('a')).toBe(false);
    await h.clock.advance(30_000);
    expect(h.log).toEqual(['a@0']);
    await h.engine.resume('a');
    await h.clock.advance(0);
    expect(h.log).toEqual(['a@0', 'a@31000']);
    expect(h.engine.runNow('a')).toBe(true);
    await h.clock.advance(0);
    expect(h.log).toEqual(['a@0', 'a@31000', 'a@31000']);
    expect(h.changes.map((c) => `${c.cause}:${c.change.to}`)).toEqual([
      'check:up',
      'pause:paused',
      'resume:pending',
      'check:up',
    ]);
    expect(await h.engine.pause('nope')).toBe(false);
  });

  it('blocks after maxAttempts with onExhausted: block until resumed', async () => {
    const h = harness();
    h.scripts.set('a', ['fail', 'fail', 'ok']);
    await h.engine.start(
      h.config(
        monitors(
          '{ id: a, failureThreshold: 1, maxAttempts: 2, onExhausted: block, scripted: {} }',
        ),
      ),
    );
    await h.clock.advance(600_000);
    expect(h.log).toEqual(['a@0', 'a@1000']);
    expect(h.engine.get('a')?.state.lifecycle).toBe('blocked');
    await h.engine.resume('a');
    await h.clock.advance(0);
    expect(h.log).toEqual(['a@0', 'a@1000', 'a@600000']);
    expect(h.engine.get('a')?.state.status).toBe('up');
  });

  it('hot reload keeps unchanged monitors undisturbed, restarts changed ones, stops removed, starts new', async () => {
    const h = harness();
    await h.engine.start(
      h.config(
        monitors(
          '{ id: same, interval: 10s, scripted: {} }',
          '{ id: edited, interval: 10s, scripted: {} }',
          '{ id: gone, interval: 10s, scripted: {} }',
        ),
      ),
    );
    await h.clock.advance(5000);
    const sameState = h.engine.get('same')?.state;
    const diff = await h.engine.apply(
      h.config(
        monitors(
          '{ id: same, interval: 10s, scripted: {} }',
          '{ id: edited, interval: 20s, scripted: {} }',
          '{ id: fresh, interval: 10s, group: new, scripted: {} }',
        ),
      ),
    );
    expect(diff).toEqual({ added: ['fresh'], changed: ['edited'], removed: ['gone'] });
    await h.clock.advance(0);
    expect(h.engine.get('same')?.state).toBe(sameState);
    expect(h.engine.get('gone')).toBeUndefined();
    await h.clock.advance(15_000);
    expect(h.log.filter((l) => l.startsWith('same'))).toEqual([
      'same@0',
      'same@10000',
      'same@20000',
    ]);
    expect(h.log.filter((l) => l.startsWith('edited'))).toEqual(['edited@0', 'edited@5000']);
    expect(h.log.filter((l) => l.startsWith('gone'))).toEqual(['gone@0']);
    expect(h.log.filter((l) => l.startsWith('fresh'))).toEqual(['fresh@5000', 'fresh@15000']);
    expect(h.engine.get('edited')?.state.status).toBe('up');
  });

  it('resumes a restored state and schedule after a restart', async () => {
    const wall = Date.UTC(2026, 0, 1);
    const restored: MonitorState = {
      status: 'down',
      reason: 'connection refused',
      since: wall - 60_000,
      lifecycle: 'running',
      confirmed: 'down',
      consecutiveFailures: 5,
      consecutiveSuccesses: 0,
      backoff: { attempt: 0, previousDelayMs: undefined },
      lastResult: { outcome: 'fail', message: 'connection refused', latencyMs: 1, at: wall - 4000 },
    };
    const h = harness({ states: new Map([['db', restored]]) });
    h.scripts.set('db', ['fail']);
    await h.engine.start(h.config(monitors('{ id: db, interval: 10s, scripted: {} }')));
    await h.clock.advance(6000);
    expect(h.log).toEqual(['db@6000']);
    expect(h.engine.get('db')?.state).toMatchObject({
      status: 'down',
      consecutiveFailures: 6,
      since: wall - 60_000,
    });
    expect(h.changes).toEqual([]);
  });

  it('shows maintenance during a window and re-checks at its boundaries', async () => {
    const h = harness();
    h.scripts.set('db', ['ok', 'fail']);
    await h.engine.start(
      h.config(
        monitors(
          "{ id: db, interval: 1h, failureThreshold: 1, maintenance: [{ name: upgrade, start: '2026-01-01T00:10:00Z', end: '2026-01-01T00:20:00Z' }], scripted: {} }",
        ),
      ),
    );
    await h.clock.advance(20 * 60_000);
    expect(
      h.changes.map(
        (c) =>
          `${c.change.from}→${c.change.to}@${(c.change.at - Date.UTC(2026, 0, 1)) / 60_000}m:${c.cause}`,
      ),
    ).toEqual([
      'pending→up@0m:check',
      'up→maintenance@10m:maintenance',
      'maintenance→down@20m:maintenance',
    ]);
    // under maintenance the failure keeps the interval (no hammering); afterwards it retries on the backoff
    expect(h.log).toEqual(['db@0', 'db@600000', 'db@1200000']);
    await h.clock.advance(1000);
    expect(h.log.at(-1)).toBe('db@1201000');
  });

  it('marks monitors whose dependsOn parent is down', async () => {
    const h = harness();
    h.scripts.set('gateway', ['fail']);
    await h.engine.start(
      h.config(
        monitors(
          '{ id: gateway, failureThreshold: 1, interval: 10s, scripted: {} }',
          '{ id: app, dependsOn: [gateway], interval: 10s, scripted: {} }',
        ),
      ),
    );
    await h.clock.advance(0);
    expect(h.engine.get('gateway')?.state.status).toBe('down');
    expect(h.engine.get('app')?.state.parentDown).toBe('gateway');
  });
});
