import type { Random } from '../clock/index.js';

/** What a policy knows when asked for the next delay. */
export interface BackoffContext {
  /** The delay this policy returned for the previous attempt, if any (decorrelated jitter builds on it). */
  readonly previousDelayMs: number | undefined;
  /** Monotonic ms since the first failure of this run of failures. */
  readonly elapsedMs: number;
  /** Source of jitter. */
  readonly random: Random;
}

/** A delay in ms before the next try, or `'stop'`: give up. */
export type BackoffDecision = number | 'stop';

/** Jitter kinds that spread a delay computed by any policy. */
export const simpleJitterKinds = ['none', 'full', 'equal'] as const;
/** Jitter kinds of the exponential policy (AWS "Exponential Backoff and Jitter"). */
export const jitterKinds = [...simpleJitterKinds, 'decorrelated', 'decorrelated-spread'] as const;
export type SimpleJitter = (typeof simpleJitterKinds)[number];
export type Jitter = (typeof jitterKinds)[number];

type NextFn = (attempt: number, ctx: BackoffContext) => BackoffDecision;

/**
 * A backoff policy: a pure, immutable value that maps the number of consecutive failures to the delay
 * before the next try. It never sleeps; a runner (`retry`, `Backoff`, a supervisor) does.
 * Modifiers return new policies and leave this one unchanged.
 */
export class BackoffPolicy {
  readonly #next: NextFn;
  /** A short description, e.g. `exponential(100ms ×2 ≤ 30000ms, full jitter) · max 5 retries`. */
  readonly description: string;

  /** Prefer the factories (`constant`, `linear`, `exponential`, `policy`). */
  constructor(next: NextFn, description: string) {
    this.#next = next;
    this.description = description;
  }

  /**
   * The delay before retry number `attempt` (1 after the first failure), or `'stop'`.
   * Throws `RangeError` when `attempt` is not a positive integer.
   */
  next(attempt: number, ctx: BackoffContext): BackoffDecision {
    if (!Number.isInteger(attempt) || attempt < 1) {
      throw new RangeError(`BackoffPolicy.next: attempt must be an integer >= 1, got ${attempt}`);
    }
    return this.#next(attempt, ctx);
  }

  /** Spreads each delay: `full` → uniform in [0, d]; `equal` → d/2 + uniform in [0, d/2]. */
  withJitter(kind: SimpleJitter): BackoffPolicy {
    if (!(simpleJitterKinds as readonly string[]).includes(kind)) {
      throw new RangeError(
        `withJitter: unknown jitter "${kind}"; use one of ${simpleJitterKinds.join(', ')} (decorrelated jitter is an option of exponential())`,
      );
    }
    if (kind === 'none') return this;
    return new BackoffPolicy((attempt, ctx) => {
      const d = this.#next(attempt, ctx);
      return d === 'stop' ? d : spread(kind, d, ctx.random);
    }, `${this.description}, ${kind} jitter`);
  }

  /** Gives up after `retries` retries: the first try plus `retries` more. */
  withMaxRetries(retries: number): BackoffPolicy {
    checkCount('withMaxRetries', 'retries', retries);
    return new BackoffPolicy(
      (attempt, ctx) => (attempt > retries ? 'stop' : this.#next(attempt, ctx)),
      `${this.description} · max ${retries} retries`,
    );
  }

  /** Gives up once `tries` tries in all (the first included) have failed. */
  withMaxTries(tries: number): BackoffPolicy {
    checkCount('withMaxTries', 'tries', tries);
    if (tries < 1) throw new RangeError(`withMaxTries: tries must be >= 1, got ${tries}`);
    return new BackoffPolicy(
      (attempt, ctx) => (attempt >= tries ? 'stop' : this.#next(attempt, ctx)),
      `${this.description} · max ${tries} tries`,
    );
  }

  /** Gives up when the next delay would end more than `maxElapsedMs` after the first failure. */
  withMaxElapsed(maxElapsedMs: number): BackoffPolicy {
    checkMs('withMaxElapsed', 'maxElapsedMs', maxElapsedMs);
    return new BackoffPolicy((attempt, ctx) => {
      const d = this.#next(attempt, ctx);
      return d === 'stop' || ctx.elapsedMs + d > maxElapsedMs ? 'stop' : d;
    }, `${this.description} · max ${maxElapsedMs}ms elapsed`);
  }

  /** Caps every delay at `maxMs`. */
  withCap(maxMs: number): BackoffPolicy {
    checkMs('withCap', 'maxMs', maxMs);
    return new BackoffPolicy((attempt, ctx) => {
      const d = this.#next(attempt, ctx);
      return d === 'stop' ? d : Math.min(d, maxMs);
    }, `${this.description} ≤ ${maxMs}ms`);
  }

  /** Uses this policy for the first `retries` retries, then `next` (whose attempts count from 1 again). */
  followedBy(retries: number, next: BackoffPolicy): BackoffPolicy {
    checkCount('followedBy', 'retries', retries);
    return new BackoffPolicy(
      (attempt, ctx) =>
        attempt <= retries
          ? this.#next(attempt, ctx)
          : next.next(attempt - retries, {
              ...ctx,
              previousDelayMs: attempt - retries === 1 ? undefined : ctx.previousDelayMs,
            }),
      `${this.description} for ${retries} retries, then ${next.description}`,
    );
  }
}

/** Full or equal jitter of one delay. */
export function spread(kind: 'full' | 'equal', delayMs: number, random: Random): number {
  return kind === 'full' ? random.next() * delayMs : delayMs / 2 + (random.next() * delayMs) / 2;
}

/** Throws unless `value` is a finite number of ms >= 0 (`Infinity` allowed when `allowInfinity`). */
export function checkMs(where: string, option: string, value: number, allowInfinity = true): void {
  const ok = typeof value === 'number' && value >= 0 && (allowInfinity || Number.isFinite(value));
  if (!ok) {
    throw new RangeError(`${where}: ${option} must be a number of ms >= 0, got ${String(value)}`);
  }
}

function checkCount(where: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${option} must be an integer >= 0, got ${String(value)}`);
  }
}

/** A policy from a plain function, for shapes the factories do not cover. */
export function policy(next: NextFn, description = 'custom'): BackoffPolicy {
  if (typeof next !== 'function') throw new TypeError('policy: next must be a function');
  return new BackoffPolicy(next, description);
}
