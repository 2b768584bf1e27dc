/**
 * The delay before the live feed's next reconnect attempt: exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so a room full of TVs does not reconnect in lockstep after a
 * server restart. `attempt` counts from 0; `random` is in [0, 1).
 */
export function reconnectDelay(
  attempt: number,
  random: number,
  baseMs = 500,
  maxMs = 30_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (ceiling / 2) * random;
}

/** Appends to a list kept at most `max` long (newest first): the TV ticker's memory never grows. */
export function pushBounded<T>(list: readonly T[], items: readonly T[], max: number): T[] {
  return [...[...items].reverse(), ...list].slice(0, max);
}
