import type { Clock } from '@vigil/resilience';

/**
 * At most `max` sends in any window of `perMs` (a sliding window on the monotonic clock): `acquire`
 * waits for a free slot.
 */
export interface RateLimiter {
  acquire(signal: AbortSignal): Promise<void>;
}

/** Creates a {@link RateLimiter}; without a limit every `acquire` resolves at once. */
export function createRateLimiter(
  clock: Clock,
  limit: { readonly max: number; readonly perMs: number } | undefined,
): RateLimiter {
  if (limit === undefined) return { acquire: () => Promise.resolve() };
  const { max, perMs } = limit;
  if (!(Number.isInteger(max) && max > 0 && perMs > 0))
    throw new RangeError(`rate limit: max and perMs must be positive, got ${max} per ${perMs} ms`);
  const sent: number[] = [];
  return {
    async acquire(signal) {
      for (;;) {
        signal.throwIfAborted();
        const now = clock.monotonic();
        while (sent.length > 0 && (sent[0] as number) <= now - perMs) sent.shift();
        if (sent.length < max) {
          sent.push(now);
          return;
        }
        await clock.sleep((sent[0] as number) + perMs - now, signal);
      }
    },
  };
}
