import type { Clock } from '@vigil/resilience';

/**
 * At most `max` sends in any window of `perMs` (a sliding window on the monotonic clock): `acquire`
 * waits for a free slot and resolves with `release`, to call when the send is over. A send counts from
 * its start until `perMs` after it ended, so even a receiver that sees sends arrive late never sees more
 * than `max` within `perMs`.
 */
export interface RateLimiter {
  acquire(signal: AbortSignal): Promise<() => void>;
}

/** Creates a {@link RateLimiter}; without a limit every `acquire` resolves at once. */
export function createRateLimiter(
  clock: Clock,
  limit: { readonly max: number; readonly perMs: number } | undefined,
): RateLimiter {
  if (limit === undefined) return { acquire: () => Promise.resolve(() => {}) };
  const { max, perMs } = limit;
  if (!(Number.isInteger(max) && max > 0 && perMs > 0))
    throw new RangeError(`rate limit: max and perMs must be positive, got ${max} per ${perMs} ms`);
  /** When each send of the window ended (`Infinity` while it is in flight). */
  const slots: { end: number }[] = [];
  return {
    async acquire(signal) {
      for (;;) {
        signal.throwIfAborted();
        const now = clock.monotonic();
        for (let i = slots.length - 1; i >= 0; i--)
          if ((slots[i] as { end: number }).end <= now - perMs) slots.splice(i, 1);
        if (slots.length < max) {
          const slot = { end: Infinity };
          slots.push(slot);
          return () => {
            slot.end = clock.monotonic();
          };
        }
        const soonest = Math.min(...slots.map((s) => s.end));
        // All in flight: look again shortly (a send ends within its timeout).
        await clock.sleep(soonest === Infinity ? 10 : soonest + perMs - now, signal);
      }
    },
  };
}
