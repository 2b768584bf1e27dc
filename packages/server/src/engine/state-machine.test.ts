import { seededRandom } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import type { CheckResult, Outcome } from '../checks/index.js';
import type { MonitorConfig } from '../config/index.js';
import {
  applyResult,
  crash,
  disable,
  enable,
  initialState,
  refresh,
  type NextRun,
} from './state-machine.js';
import type { MonitorState } from './types.js';

const config = (over: Partial<MonitorConfig> = {}): MonitorConfig => ({
  id: 'api',
  name: 'api',
  group: 'default',
  tags: [],
  kind: 'tcp',
  check: {},
  intervalMs: 60_000,
  timeoutMs: 5000,
  failureThreshold: 3,
  successThreshold: 1,
  retry: { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 'none' },
  maxAttempts: 0,
  onExhausted: 'keep',
  dependsOn: [],
  maintenance: [],
  paused: false,
  ...over,
});

const result = (outcome: Outcome, message = outcome): CheckResult => ({
  outcome,
  message,
  latencyMs: 12,
});

/** Runs a sequence of outcomes; returns the status after each, the changes and the next-run decisions. */
function run(
  outcomes: Outcome[],
  cfg = config(),
  start: MonitorState = initialState(0),
  maintenance?: string,
) {
  let state = start;
  const statuses: string[] = [];
  const changes: string[] = [];
  const next: NextRun[] = [];
  outcomes.forEach((outcome, i) => {
    const t = applyResult(state, result(outcome), cfg, {
      now: (i + 1) * 1000,
      maintenance,
      parentDown: undefined,
      random: seededRandom(1),
    });
    state = t.state;
    statuses.push(state.status);
    if (t.change) changes.push(`${t.change.from}→${t.change.to}@${t.change.at}`);
    next.push(t.next);
  });
  return { state, statuses, changes, next };
}

describe('monitor state machine', () => {
  it('failures below the threshold show pending and retry on the backoff; the threshold confirms down', () => {
    const r = run(['ok', 'fail', 'fail', 'fail', 'fail']);
    expect(r.statuses).toEqual(['up', 'pending', 'pending', 'down', 'down']);
    expect(r.changes).toEqual(['pending→up@1000', 'up→pending@2000', 'pending→down@4000']);
    expect(r.next).toEqual([
      { delayMs: 60_000, retry: false },
      { delayMs: 1000, retry: true },
      { delayMs: 2000, retry: true },
      { delayMs: 4000, retry: true },
      { delayMs: 8000, retry: true },
    ]);
    expect(r.state).toMatchObject({
      lifecycle: 'backing-off',
      consecutiveFailures: 4,
      confirmed: 'down',
      since: 4000,
    });
    expect(r.state.reason).toBe('fail');
  });

  it('an unconfirmed failure followed by a success goes straight back to up', () => {
    const r = run(['ok', 'fail', 'ok']);
    expect(r.statuses).toEqual(['up', 'pending', 'up']);
    expect(r.state).toMatchObject({
      lifecycle: 'running',
      consecutiveFailures: 0,
      backoff: { attempt: 0 },
    });
  });

  it('says which failure it is while pending', () => {
    const r = run(['ok', 'fail']);
    expect(r.state.reason).toBe('1/3 failures: fail');
  });

  it('needs successThreshold successes in a row to leave down', () => {
    const r = run(
      ['fail', 'fail', 'fail', 'ok', 'fail', 'ok', 'ok'],
      config({ successThreshold: 2 }),
    );
    expect(r.statuses).toEqual(['pending', 'pending', 'down', 'down', 'down', 'down', 'up']);
    expect(r.changes).toEqual(['pending→down@3000', 'down→up@7000']);
  });

  it('reports recovery progress while down', () => {
    const r = run(['fail', 'ok'], config({ failureThreshold: 1, successThreshold: 3 }));
    expect(r.state.reason).toBe('recovering: 1/3 successes; ok');
  });

  it('a first success needs successThreshold too before showing up', () => {
    const r = run(['ok', 'ok'], config({ successThreshold: 2 }));
    expect(r.statuses).toEqual(['pending', 'up']);
  });

  it('degraded counts as working: amber, no retry, and back to green on ok', () => {
    const r = run(['ok', 'degraded', 'ok'], config());
    expect(r.statuses).toEqual(['up', 'degraded', 'up']);
    expect(r.next.every((n) => n !== 'blocked' && !n.retry)).toBe(true);
  });

  it('a pending outcome (work in progress) shows grey and keeps the counters', () => {
    const r = run(['fail', 'pending', 'fail'], config({ failureThreshold: 2 }));
    expect(r.statuses).toEqual(['pending', 'pending', 'down']);
    expect(r.next[1]).toEqual({ delayMs: 60_000, retry: false });
  });

  it('maxAttempts with onExhausted: block stops checking', () => {
    const r = run(
      ['fail', 'fail'],
      config({ failureThreshold: 1, maxAttempts: 2, onExhausted: 'block' }),
    );
    expect(r.next).toEqual([{ delayMs: 1000, retry: true }, 'blocked']);
    expect(r.state.lifecycle).toBe('blocked');
    expect(r.state.reason).toBe('fail (blocked after 2 failed attempts; resume it to check again)');
  });

  it('maxAttempts with onExhausted: keep falls back to the interval', () => {
    const r = run(['fail', 'fail', 'fail'], config({ maxAttempts: 2, onExhausted: 'keep' }));
    expect(r.next.slice(1)).toEqual([
      { delayMs: 60_000, retry: false },
      { delayMs: 60_000, retry: false },
    ]);
  });

  it('the retry backoff is capped and uses its jitter', () => {
    const r = run(
      Array<Outcome>(8).fill('fail'),
      config({ retry: { initialMs: 1000, maxMs: 10_000, factor: 3, jitter: 'none' } }),
    );
    expect(r.next.map((n) => (n === 'blocked' ? n : n.delayMs))).toEqual([
      1000, 3000, 9000, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
    const jittered = run(
      ['fail', 'fail'],
      config({ retry: { initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 'full' } }),
    );
    const delays = jittered.next.map((n) => (n === 'blocked' ? 0 : n.delayMs));
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(delays[1]).toBeLessThanOrEqual(2000);
  });

  it('a maintenance window shows maintenance whatever the checks say, and hands back the truth after', () => {
    const during = run(['fail', 'fail', 'fail'], config(), initialState(0), 'db upgrade');
    expect(during.statuses).toEqual(['maintenance', 'maintenance', 'maintenance']);
    expect(during.state.reason).toBe('maintenance: db upgrade');
    expect(during.state.confirmed).toBe('down');
    const after = refresh(during.state, {
      now: 9000,
      maintenance: undefined,
      parentDown: undefined,
      random: seededRandom(1),
    });
    expect(after.state.status).toBe('down');
    expect(after.change).toEqual({ from: 'maintenance', to: 'down', reason: 'fail', at: 9000 });
  });

  it('marks a monitor whose parent is down', () => {
    const t = applyResult(initialState(0), result('fail'), config(), {
      now: 1,
      maintenance: undefined,
      parentDown: 'gateway',
      random: seededRandom(1),
    });
    expect(t.state.parentDown).toBe('gateway');
    const cleared = refresh(t.state, {
      now: 2,
      maintenance: undefined,
      parentDown: undefined,
      random: seededRandom(1),
    });
    expect(cleared.state.parentDown).toBeUndefined();
  });

  it('pause, resume and crash change status and lifecycle', () => {
    const up = run(['ok']).state;
    const paused = disable(up, 'paused by admin', 5000);
    expect(paused.change).toEqual({
      from: 'up',
      to: 'paused',
      reason: 'paused by admin',
      at: 5000,
    });
    expect(paused.state.lifecycle).toBe('disabled');
    const resumed = enable(paused.state, 'resumed', 6000);
    expect(resumed.state).toMatchObject({
      status: 'pending',
      lifecycle: 'running',
      consecutiveFailures: 0,
    });
    const crashed = crash(resumed.state, new Error('recipe threw: x is undefined'), 7000);
    expect(crashed.state).toMatchObject({
      status: 'down',
      lifecycle: 'crashed',
      reason: 'crashed: recipe threw: x is undefined',
    });
    expect(crashed.change?.to).toBe('down');
  });
});
