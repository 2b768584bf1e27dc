/** Interval assumed for a monitor the config has not described (yet), ms. */
export const DEFAULT_INTERVAL_MS = 60_000;

/** Shortest silence that counts as a gap, ms. */
export const MIN_GAP_MS = 60_000;

/**
 * How long a monitor may go without a result before the silence counts as a gap (not observed):
 * three intervals, at least one minute. Results are at most an interval plus a timeout apart while
 * checking runs, so a longer silence means Vigil was stopped, the monitor was blocked or crashed, or
 * the host slept.
 */
export function gapLimitMs(intervalMs: number): number {
  return Math.max(MIN_GAP_MS, 3 * intervalMs);
}
