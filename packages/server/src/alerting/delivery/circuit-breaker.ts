import type { Clock } from '@vigil/resilience';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  readonly clock: Clock;
  /** Consecutive failures that open the circuit. Default 5. */
  readonly threshold?: number;
  /** How long it stays open before one trial send, ms. Default 30 s. */
  readonly cooldownMs?: number;
}

/** Where a breaker is: sending, refusing until the cooldown ends, or letting one trial through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one notifier endpoint: after `threshold` failures in a row it opens, and sends
 * wait (they are not failed) until the cooldown ends; then one trial goes through — success closes it,
 * failure opens it again. A receiver's `Retry-After` opens it for that long.
 */
export interface CircuitBreaker {
  /** Resolves when a send may go; rejects with `signal.reason` when aborted. */
  acquire(signal: AbortSignal): Promise<void>;
  success(): void;
  failure(): void;
  /** Opens the circuit for at least `ms` (a 429 or 503 with `Retry-After`). */
  pause(ms: number): void;
  readonly state: CircuitState;
}

/** Creates a {@link CircuitBreaker}. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { clock } = options;
  const threshold = options.threshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  if (!(Number.isInteger(threshold) && threshold > 0))
    throw new RangeError(`circuit breaker: threshold must be a positive integer, got ${threshold}`);
  if (!(cooldownMs >= 0))
    throw new RangeError(`circuit breaker: cooldownMs must be ≥ 0, got ${cooldownMs}`);
  let state: CircuitState = 'closed';
  let failures = 0;
  let openUntil = 0;
  let trial = false;
  let waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const open = (ms: number): void => {
    state = 'open';
    openUntil = Math.max(openUntil, clock.monotonic() + ms);
    trial = false;
    wakeAll();
  };
  const waitTurn = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      waiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  return {
    async acquire(signal) {
      for (;;) {
        signal.throwIfAborted();
        if (state === 'closed') return;
        if (state === 'open') {
          const left = openUntil - clock.monotonic();
          if (left > 0) {
            await clock.sleep(left, signal);
            continue;
          }
          state = 'half-open';
        }
        if (!trial) {
          trial = true;
          return;
        }
        await waitTurn(signal);
      }
    },
    success() {
      failures = 0;
      trial = false;
      if (state !== 'closed') {
        state = 'closed';
        wakeAll();
      }
    },
    failure() {
      failures++;
      if (state === 'half-open' || failures >= threshold) open(cooldownMs);
    },
    pause(ms) {
      open(ms);
    },
    get state() {
      return state;
    },
  };
}
