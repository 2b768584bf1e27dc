import { systemClock, systemRandom, type Clock, type Random } from '../clock/index.js';
import { RetryExhaustedError, isRetryable } from '../errors/index.js';
import type { BackoffPolicy } from './policy.js';

/** What each try of a retried function receives. */
export interface AttemptContext {
  /** 1 for the first try. */
  readonly attempt: number;
  /** Aborts when the caller's signal does; pass it to the I/O the try does. */
  readonly signal: AbortSignal;
}

/** Told before each retry sleeps. */
export interface RetryEvent {
  /** The retry about to be made (1 for the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Delays between tries, and when to give up. */
  readonly policy: BackoffPolicy;
  /**
   * Whether an error is worth another try. Default {@link isRetryable}: a Vigil error's own `retryable`,
   * never an abort, any other error yes. An error it refuses rejects `retry` at once, unwrapped.
   */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /** Cancels the tries and the sleeps between them; `retry` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly onRetry?: (event: RetryEvent) => void;
}

const neverAborted = new AbortController().signal;

/**
 * Calls `fn` until it succeeds, sleeping on `policy` between failures. When the policy says stop it
 * rejects with a `RetryExhaustedError` whose `attempts` holds every try's error.
 */
export async function retry<T>(
  fn: (ctx: AttemptContext) => Promise<T> | T,
  options: RetryOptions,
): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError('retry: fn must be a function');
  if ((options as Partial<RetryOptions> | undefined)?.policy === undefined)
    throw new TypeError('retry: options.policy is required');
  const { policy, retryOn = isRetryable, signal = neverAborted, onRetry } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const errors: unknown[] = [];
  const started = clock.monotonic();
  let previousDelayMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    try {
      return await fn({ attempt, signal });
    } catch (error) {
      if (signal.aborted || !retryOn(error, attempt)) throw error;
      errors.push(error);
      const elapsedMs = clock.monotonic() - started;
      const delayMs = policy.next(attempt, { previousDelayMs, elapsedMs, random });
      if (delayMs === 'stop') throw new RetryExhaustedError(errors, elapsedMs);
      previousDelayMs = delayMs;
      onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs, signal);
    }
  }
}
