import { exponential, type BackoffPolicy, type Random } from '@vigil/resilience';
import type { CheckResult } from '../checks/index.js';
import type { MonitorConfig, RetryConfig } from '../config/index.js';
import type { Change, Confirmed, Lifecycle, MonitorState, Status } from './types.js';

/** The inputs of a transition besides the state and the result. */
export interface TransitionContext {
  /** Wall time now, ms. */
  readonly now: number;
  /** Name of the maintenance window in force, if any. */
  readonly maintenance: string | undefined;
  /** Id of a `dependsOn` parent that is down, if any. */
  readonly parentDown: string | undefined;
  readonly random: Random;
}

/** When to check next: after `delayMs`, or never again until resumed (`blocked`). */
export type NextRun = { readonly delayMs: number; readonly retry: boolean } | 'blocked';

export interface Transition {
  readonly state: MonitorState;
  readonly change: Change | null;
  readonly next: NextRun;
}

/** The state of a monitor never checked before. */
export function initialState(now: number): MonitorState {
  return {
    status: 'pending',
    reason: 'not checked yet',
    since: now,
    lifecycle: 'running',
    confirmed: 'unknown',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    backoff: { attempt: 0, previousDelayMs: undefined },
  };
}

/** The retry policy of a monitor's config. */
export function retryPolicy(retry: RetryConfig): BackoffPolicy {
  return exponential({
    initialMs: retry.initialMs,
    maxMs: retry.maxMs,
    factor: retry.factor,
    jitter: retry.jitter,
  });
}

/**
 * Applies one check result: counts it against the thresholds, derives the status, and decides when to check
 * next. Failures below `failureThreshold` show `pending` and are re-checked on the retry backoff; reaching
 * it confirms `down`; `successThreshold` successes in a row confirm `up` (or `degraded`) again.
 */
export function applyResult(
  prev: MonitorState,
  result: CheckResult,
  config: MonitorConfig,
  ctx: TransitionContext,
): Transition {
  let { confirmed, consecutiveFailures: failures, consecutiveSuccesses: successes, backoff } = prev;
  let next: NextRun = { delayMs: config.intervalMs, retry: false };
  let lifecycle: Lifecycle = 'running';
  let reason = result.message;
  switch (result.outcome) {
    case 'ok':
    case 'degraded': {
      failures = 0;
      successes++;
      backoff = { attempt: 0, previousDelayMs: undefined };
      const healthy: Confirmed = result.outcome === 'ok' ? 'up' : 'degraded';
      if (confirmed === 'up' || confirmed === 'degraded' || successes >= config.successThreshold)
        confirmed = healthy;
      else
        reason = `${confirmed === 'down' ? 'recovering' : 'confirming'}: ${successes}/${config.successThreshold} successes; ${result.message}`;
      break;
    }
    case 'fail': {
      successes = 0;
      failures++;
      if (failures >= config.failureThreshold) confirmed = 'down';
      else if (confirmed !== 'down')
        reason = `${failures}/${config.failureThreshold} failures: ${result.message}`;
      const exhausted = config.maxAttempts > 0 && failures >= config.maxAttempts;
      if (ctx.maintenance !== undefined) {
        // Under maintenance a failure is expected: keep the interval, do not hammer the target.
        next = { delayMs: config.intervalMs, retry: false };
      } else if (exhausted && config.onExhausted === 'block') {
        next = 'blocked';
        lifecycle = 'blocked';
        reason = `${result.message} (blocked after ${failures} failed attempts; resume it to check again)`;
      } else if (exhausted) {
        next = { delayMs: config.intervalMs, retry: false };
        lifecycle = 'backing-off';
      } else {
        const delayMs = retryPolicy(config.retry).next(backoff.attempt + 1, {
          previousDelayMs: backoff.previousDelayMs,
          elapsedMs: 0,
          random: ctx.random,
        });
        const delay = delayMs === 'stop' ? config.intervalMs : delayMs;
        backoff = { attempt: backoff.attempt + 1, previousDelayMs: delay };
        next = { delayMs: delay, retry: true };
        lifecycle = 'backing-off';
      }
      break;
    }
    case 'pending':
      break;
  }
  const status = displayed(confirmed, failures, result.outcome === 'pending', ctx.maintenance);
  if (status === 'maintenance') reason = `maintenance: ${ctx.maintenance ?? ''}`;
  const state = stateWith(prev, {
    status,
    reason,
    since: status === prev.status ? prev.since : ctx.now,
    lifecycle,
    confirmed,
    consecutiveFailures: failures,
    consecutiveSuccesses: successes,
    backoff,
    lastResult: {
      outcome: result.outcome,
      message: result.message,
      latencyMs: result.latencyMs,
      at: ctx.now,
    },
    parentDown: ctx.parentDown,
    maintenance: ctx.maintenance,
    flagOff: undefined,
  });
  return { state, change: changeOf(prev, state, ctx.now), next };
}

/** Re-derives the status without a new result: a maintenance window opened or closed, a parent changed. */
export function refresh(
  prev: MonitorState,
  ctx: TransitionContext,
): { state: MonitorState; change: Change | null } {
  if (prev.lifecycle === 'disabled' || prev.lifecycle === 'crashed') {
    const state = stateWith(prev, { parentDown: ctx.parentDown, maintenance: ctx.maintenance });
    return { state, change: null };
  }
  const status = displayed(
    prev.confirmed,
    prev.consecutiveFailures,
    prev.lastResult?.outcome === 'pending',
    ctx.maintenance,
  );
  const reason =
    status === 'maintenance'
      ? `maintenance: ${ctx.maintenance ?? ''}`
      : status === prev.status
        ? prev.reason
        : (prev.lastResult?.message ?? prev.reason);
  const state = stateWith(prev, {
    status,
    reason,
    since: status === prev.status ? prev.since : ctx.now,
    parentDown: ctx.parentDown,
    maintenance: ctx.maintenance,
  });
  return { state, change: changeOf(prev, state, ctx.now) };
}

/** The monitor stopped being checked on purpose (`paused` via the API, or its flag turned off). */
export function disable(
  prev: MonitorState,
  reason: string,
  now: number,
): { state: MonitorState; change: Change | null } {
  const state = stateWith(prev, {
    status: 'paused',
    reason,
    lifecycle: 'disabled',
    since: prev.status === 'paused' ? prev.since : now,
    flagOff: undefined, // paused on purpose, not by a flag
  });
  return { state, change: changeOf(prev, state, now) };
}

/** Checking resumes: the status is unknown until the first result; counters start over. */
export function enable(
  prev: MonitorState,
  reason: string,
  now: number,
): { state: MonitorState; change: Change | null } {
  const state = stateWith(prev, {
    status: 'pending',
    reason,
    lifecycle: 'running',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    backoff: { attempt: 0, previousDelayMs: undefined },
    since: prev.status === 'pending' ? prev.since : now,
    flagOff: undefined,
  });
  return { state, change: changeOf(prev, state, now) };
}

/** The monitor's supervisor gave up on it: red, with the reason, until its config changes or it is resumed. */
export function crash(
  prev: MonitorState,
  error: unknown,
  now: number,
): { state: MonitorState; change: Change | null } {
  const message = error instanceof Error ? error.message : String(error);
  const state = stateWith(prev, {
    status: 'down',
    reason: `crashed: ${message}`,
    lifecycle: 'crashed',
    since: prev.status === 'down' ? prev.since : now,
  });
  return { state, change: changeOf(prev, state, now) };
}

function displayed(
  confirmed: Confirmed,
  failures: number,
  inProgress: boolean,
  maintenance: string | undefined,
): Status {
  if (maintenance !== undefined) return 'maintenance';
  if (inProgress) return 'pending';
  if (confirmed === 'down') return 'down';
  if (failures > 0 || confirmed === 'unknown') return 'pending';
  return confirmed;
}

type OptionalKey = 'lastResult' | 'parentDown' | 'maintenance' | 'flagOff';

/** Changes to a state; an optional field given as `undefined` is removed. */
export type StatePatch = Partial<Omit<MonitorState, OptionalKey>> & {
  readonly [K in OptionalKey]?: MonitorState[K] | undefined;
};

/**
 * `base` with `patch` applied, built field by field in one fixed order. Not with object spread: in V8
 * (Node 20) a `{ ...prev, status }` copy gets a hidden class of its own, some 300 bytes per object,
 * and a state is kept per monitor and made on every run.
 */
export function stateWith(base: MonitorState, patch: StatePatch): MonitorState {
  const state: { -readonly [K in keyof MonitorState]: MonitorState[K] } = {
    status: patch.status ?? base.status,
    reason: patch.reason ?? base.reason,
    since: patch.since ?? base.since,
    lifecycle: patch.lifecycle ?? base.lifecycle,
    confirmed: patch.confirmed ?? base.confirmed,
    consecutiveFailures: patch.consecutiveFailures ?? base.consecutiveFailures,
    consecutiveSuccesses: patch.consecutiveSuccesses ?? base.consecutiveSuccesses,
    backoff: patch.backoff ?? base.backoff,
  };
  const lastResult = 'lastResult' in patch ? patch.lastResult : base.lastResult;
  if (lastResult !== undefined) state.lastResult = lastResult;
  const parentDown = 'parentDown' in patch ? patch.parentDown : base.parentDown;
  if (parentDown !== undefined) state.parentDown = parentDown;
  const maintenance = 'maintenance' in patch ? patch.maintenance : base.maintenance;
  if (maintenance !== undefined) state.maintenance = maintenance;
  const flagOff = 'flagOff' in patch ? patch.flagOff : base.flagOff;
  if (flagOff !== undefined) state.flagOff = flagOff;
  return state;
}

function changeOf(prev: MonitorState, next: MonitorState, now: number): Change | null {
  return prev.status === next.status
    ? null
    : { from: prev.status, to: next.status, reason: next.reason, at: now };
}
