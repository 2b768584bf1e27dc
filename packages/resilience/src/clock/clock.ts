/** A scheduled callback; cancel it (or dispose it) to keep it from firing. Cancelling twice is harmless. */
export interface Timer extends Disposable {
  cancel(): void;
}

/**
 * The one source of time in Vigil. Wall time (`now`) is for timestamps that are stored or shown; monotonic
 * time is for measuring durations and never jumps when the system clock is adjusted. Timers and sleeps go
 * through the clock so tests can drive them with a `FakeClock`.
 */
export interface Clock {
  /** Wall-clock time in ms since the Unix epoch (like `Date.now()`). May jump; never use it for durations. */
  now(): number;
  /** Monotonic time in ms from an arbitrary origin (like `performance.now()`); use it for durations. */
  monotonic(): number;
  /**
   * Calls `callback` once after `delayMs` (negative counts as 0; `Infinity` never fires). The returned
   * timer cancels it. Throws `RangeError` for `NaN`.
   */
  setTimer(delayMs: number, callback: () => void): Timer;
  /**
   * Resolves after `delayMs`; rejects with `signal.reason` as soon as `signal` aborts (at once if it
   * already has). `Infinity` sleeps until aborted.
   */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

/** A source of uniformly distributed numbers; tests seed it so jitter is exact. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}

/** Validates a timer delay and clamps a negative one to 0. */
export function checkDelay(delayMs: number, where: string): number {
  if (Number.isNaN(delayMs)) throw new RangeError(`${where}: delayMs is NaN; pass a number of ms`);
  return delayMs < 0 ? 0 : delayMs;
}

/** A timer that never fires (for `Infinity`). */
export const neverTimer: Timer = Object.freeze({
  cancel() {},
  [Symbol.dispose]() {},
});

/** Implements {@link Clock.sleep} on top of a clock's `setTimer`. */
export function sleepWith(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason as Error);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
