/**
 * Fixed log-scale latency buckets shared by every rollup tier, so histograms add up across rows and
 * tiers. Bucket 0 holds latencies below 0.25 ms; bucket k (1…38) holds [0.25·2^((k−1)/2), 0.25·2^(k/2)) ms,
 * half an octave wide; bucket 39 holds everything from 131 s up. Half-octave buckets bound the error of a
 * percentile read from them to one bucket (the estimate is interpolated inside the bucket and clamped to
 * the observed min and max).
 */
export const BUCKETS = 40;

/** Upper bound (exclusive) of buckets 0…38 in µs; bucket 39 has none. */
export const bucketUpperUs: readonly number[] = Array.from({ length: BUCKETS - 1 }, (_, k) =>
  Math.round(250 * 2 ** (k / 2)),
);

/** The bucket a latency in µs falls into. */
export function bucketOf(us: number): number {
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (us < (bucketUpperUs[mid] ?? Infinity)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Lower and upper bound of bucket `k` in µs (`Infinity` for the last). */
export function bucketBounds(k: number): [number, number] {
  return [k === 0 ? 0 : (bucketUpperUs[k - 1] ?? 0), bucketUpperUs[k] ?? Infinity];
}

/** Latency statistics of a set of results, as the rollups keep them (µs). */
export interface LatencyStats {
  readonly count: number;
  readonly sumUs: number;
  readonly minUs: number | null;
  readonly maxUs: number | null;
  readonly histogram: readonly number[];
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank, estimated from the histogram: the bucket holding the rank,
 * interpolated linearly inside it and clamped to [min, max]. `null` when there is no data.
 */
export function quantileFromHistogram(stats: LatencyStats, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  if (stats.count === 0 || stats.minUs === null || stats.maxUs === null) return null;
  const rank = Math.max(1, Math.ceil(q * stats.count));
  let before = 0;
  for (let k = 0; k < BUCKETS; k++) {
    const c = stats.histogram[k] ?? 0;
    if (c === 0) continue;
    if (before + c >= rank) {
      const [lo, hi] = bucketBounds(k);
      const from = Math.max(lo, stats.minUs);
      const to = Math.max(from, Math.min(hi, stats.maxUs));
      return from + ((to - from) * (rank - before)) / c;
    }
    before += c;
  }
  return stats.maxUs;
}

/** The exact q-quantile by nearest rank of `values` (sorted in place). */
export function exactQuantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const rank = Math.min(values.length, Math.max(1, Math.ceil(q * values.length)));
  return values[rank - 1] ?? null;
}
