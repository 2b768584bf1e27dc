import { systemClock, systemRandom, type Clock, type Random } from '../clock/index.js';
import type { BackoffDecision, BackoffPolicy } from './policy.js';

/** The position of a {@link Backoff}, small enough to persist and restore. */
export interface BackoffState {
  /** Consecutive failures so far. */
  readonly attempt: number;
  /** The last delay returned, if any. */
  readonly previousDelayMs: number | undefined;
}

/** Options of {@link createBackoff}. */
export interface BackoffOptions {
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Default `Math.random`. */
  readonly random?: Random;
  /** Resume from a persisted position. */
  readonly state?: BackoffState;
}

/**
 * A stateful backoff over a policy, as in Erlang's `backoff`: `fail()` returns the delay before the next
 * try (or `'stop'`), `succeed()` resets it.
 */
export interface Backoff {
  fail(): BackoffDecision;
  succeed(): void;
  /** Consecutive failures so far (0 after `succeed`). */
  readonly attempt: number;
  /** The current position, for persistence. */
  readonly state: BackoffState;
}

/** Creates a {@link Backoff} that walks `policy`. */
export function createBackoff(policy: BackoffPolicy, options: BackoffOptions = {}): Backoff {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  let attempt = options.state?.attempt ?? 0;
  let previousDelayMs = options.state?.previousDelayMs;
  let firstFailureAt: number | undefined = attempt > 0 ? clock.monotonic() : undefined;
  return {
    fail() {
      const now = clock.monotonic();
      firstFailureAt ??= now;
      attempt++;
      const decision = policy.next(attempt, {
        previousDelayMs,
        elapsedMs: now - firstFailureAt,
        random,
      });
      if (decision !== 'stop') previousDelayMs = decision;
      return decision;
    },
    succeed() {
      attempt = 0;
      previousDelayMs = undefined;
      firstFailureAt = undefined;
    },
    get attempt() {
      return attempt;
    },
    get state() {
      return { attempt, previousDelayMs };
    },
  };
}

/** The first `count` decisions of `policy` (for docs, tests and debugging); stops early at `'stop'`. */
export function previewDelays(
  policy: BackoffPolicy,
  count: number,
  random: Random = systemRandom,
): BackoffDecision[] {
  const out: BackoffDecision[] = [];
  let previousDelayMs: number | undefined;
  let elapsedMs = 0;
  for (let attempt = 1; attempt <= count; attempt++) {
    const d = policy.next(attempt, { previousDelayMs, elapsedMs, random });
    out.push(d);
    if (d === 'stop') break;
    previousDelayMs = d;
    elapsedMs += d;
  }
  return out;
}
