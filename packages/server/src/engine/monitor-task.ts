import type { Clock, Random, Task, TaskContext } from '@vigil/resilience';
import type { Check, CheckDeps, CheckKind, CheckResult } from '../checks/index.js';
import type { MonitorConfig } from '../config/index.js';
import { runWithTimeout } from './check-once.js';
import { activeWindow, nextBoundary } from './maintenance.js';
import type { Semaphore } from './semaphore.js';
import { applyResult, type NextRun, type Transition } from './state-machine.js';
import type { MonitorResult, MonitorState } from './types.js';

/** The engine's mutable record of one monitor; the task reads and updates it. */
export interface MonitorRuntime {
  config: MonitorConfig;
  state: MonitorState;
  /** Ends the task's current wait at once (set while it waits). */
  wake: (() => void) | undefined;
  /** A run was asked for (run-now, a heartbeat, a maintenance boundary, resume from blocked). */
  runRequested: boolean;
}

/** What a monitor task needs from the engine. */
export interface MonitorEnv {
  readonly clock: Clock;
  readonly random: Random;
  readonly kinds: Readonly<Record<string, CheckKind>>;
  readonly deps: CheckDeps;
  readonly slots: Semaphore;
  /** How far first runs are spread, ms (grows with the number of monitors; capped at the interval). */
  spreadMs(config: MonitorConfig): number;
  /** Id of a `dependsOn` parent that is down, if any. */
  parentDown(config: MonitorConfig): string | undefined;
  /** Records a result's transition: updates the state and emits the events. */
  commitResult(runtime: MonitorRuntime, transition: Transition, result: MonitorResult): void;
  /** A maintenance window opened or closed: re-derive the status. */
  refresh(runtime: MonitorRuntime): void;
}

/**
 * The supervised task of one monitor: builds its check, then runs it on schedule — the interval while
 * healthy, the retry backoff while failing — never two runs at once, each under the monitor's timeout and
 * a global cap on checks in flight. A check that throws crashes the task (its supervisor restarts it).
 */
export function monitorTask(runtime: MonitorRuntime, env: MonitorEnv): Task {
  return {
    waitsForReady: true,
    async run(ctx: TaskContext): Promise<void> {
      const { config } = runtime;
      const kind = env.kinds[config.kind];
      if (kind === undefined)
        throw new Error(`monitor "${config.id}": unknown check kind "${config.kind}"`);
      const check = await kind.create(config.check, env.deps, config.id);
      ctx.ready();
      const flags = { stopped: false };
      const stopped = (): boolean => flags.stopped;
      const interrupt: { cancelSlot?: (() => void) | undefined } = {};
      const offStop = ctx.onStop(() => {
        flags.stopped = true;
        runtime.wake?.();
        interrupt.cancelSlot?.();
      });
      try {
        let planned = env.clock.monotonic() + firstDelay(runtime, env);
        while (!stopped()) {
          await waitUntil(runtime, env, planned, stopped);
          if (stopped()) break;
          const next = await runOnce(runtime, env, check, planned, interrupt, stopped);
          if (next === 'stopped') break;
          planned = next === 'blocked' ? Infinity : schedule(planned, next, env.clock.monotonic());
        }
      } finally {
        offStop();
        await check.close?.().catch(() => undefined);
      }
    },
  };
}

/** The first run: continue a restored schedule when it is not overdue, else spread over the start window. */
function firstDelay(runtime: MonitorRuntime, env: MonitorEnv): number {
  const { lastResult, lifecycle } = runtime.state;
  if (runtime.runRequested) return 0;
  if (lastResult !== undefined) {
    const gap =
      lifecycle === 'backing-off' ? runtime.config.retry.initialMs : runtime.config.intervalMs;
    const due = lastResult.at + gap - env.clock.now();
    if (due > 0 && due <= gap) return due;
  }
  return env.random.next() * env.spreadMs(runtime.config);
}

/** Fixed-rate on the interval (no drift); retries count from now. */
function schedule(planned: number, next: Exclude<NextRun, 'blocked'>, now: number): number {
  if (next.retry) return now + next.delayMs;
  const fixed = planned + next.delayMs;
  return fixed >= now ? fixed : now;
}

/** Waits until `planned` (monotonic), a requested run or a stop; handles maintenance boundaries on the way. */
async function waitUntil(
  runtime: MonitorRuntime,
  env: MonitorEnv,
  planned: number,
  stopped: () => boolean,
): Promise<void> {
  const { clock } = env;
  while (!stopped() && !runtime.runRequested) {
    const now = clock.monotonic();
    if (now >= planned) return;
    const boundary = nextBoundary(runtime.config.maintenance, clock.now());
    const untilBoundary = boundary === undefined ? Infinity : boundary - clock.now();
    const delay = Math.min(planned - now, untilBoundary);
    const atBoundary = untilBoundary <= planned - now;
    await new Promise<void>((resolve) => {
      const timer = clock.setTimer(delay, resolve);
      runtime.wake = () => {
        timer.cancel();
        resolve();
      };
    });
    runtime.wake = undefined;
    if (atBoundary && !stopped() && clock.now() >= (boundary ?? Infinity)) {
      env.refresh(runtime);
      runtime.runRequested = true; // check at once when a window opens or closes
    }
  }
}

async function runOnce(
  runtime: MonitorRuntime,
  env: MonitorEnv,
  check: Check,
  planned: number,
  interrupt: { cancelSlot?: (() => void) | undefined },
  stopped: () => boolean,
): Promise<NextRun | 'stopped'> {
  const { clock, slots } = env;
  const slot = slots.acquire();
  interrupt.cancelSlot = () => slot.cancel();
  const acquired = await slot.promise;
  interrupt.cancelSlot = undefined;
  if (!acquired || stopped()) {
    if (acquired) slots.release();
    return 'stopped';
  }
  runtime.runRequested = false;
  const { config } = runtime;
  const startedMono = clock.monotonic();
  const startedAt = clock.now();
  let result: CheckResult;
  try {
    result = await runWithTimeout(check, config, clock);
  } finally {
    slots.release();
  }
  const transition = applyResult(runtime.state, result, config, {
    now: clock.now(),
    maintenance: activeWindow(config.maintenance, clock.now())?.name,
    parentDown: env.parentDown(config),
    random: env.random,
  });
  const lagMs = Math.max(0, startedMono - planned);
  env.commitResult(runtime, transition, monitorResult(result, config.id, startedAt, lagMs));
  return transition.next;
}

/**
 * The engine's record of a run, built field by field: in V8 a `{ ...result, monitorId }` copy gets a
 * hidden class of its own (some 300 bytes, on every run, kept as long as the result is).
 */
function monitorResult(
  result: CheckResult,
  monitorId: string,
  startedAt: number,
  lagMs: number,
): MonitorResult {
  const { outcome, message, latencyMs, phases, value, details } = result;
  const out: { -readonly [K in keyof MonitorResult]: MonitorResult[K] } = {
    outcome,
    message,
    latencyMs,
    monitorId,
    startedAt,
    lagMs,
  };
  if (phases !== undefined) out.phases = phases;
  if (value !== undefined) out.value = value;
  if (details !== undefined) out.details = details;
  return out;
}
