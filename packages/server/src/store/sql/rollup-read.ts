import { sql, type RawBuilder } from 'kysely';
import { BUCKETS, quantileFromHistogram, type LatencyStats } from '../model/histogram.js';
import type { RollupTier } from '../model/tiers.js';
import type { LatencyBrief, RollupBucket } from '../types.js';
import type { StoreKind } from '../store.js';
import type { RollupTableName } from './schema.js';

export const rollupTableOf: Readonly<Record<RollupTier, RollupTableName>> = {
  minute: 'rollup_minute',
  hour: 'rollup_hour',
  day: 'rollup_day',
};

/** Histogram column names `h0` … `h39`. */
export const histogramColumns: readonly string[] = Array.from(
  { length: BUCKETS },
  (_, k) => `h${k}`,
);

/**
 * The histogram columns as one JSON array value: a row of 9 values instead of 49 is several times
 * cheaper for the drivers to hand over (better-sqlite3 builds a 49-key object per row otherwise).
 */
export function histogramJson(kind: StoreKind): RawBuilder<string | number[]> {
  const cols = sql.join(histogramColumns.map((c) => sql.ref(c)));
  return kind === 'sqlite' ? sql`json_array(${cols})` : sql`json_build_array(${cols})`;
}

/**
 * Reads the latency statistics out of a rollup row (or a row of sums over rollups); the histogram from
 * its `h0…h39` columns, or from `h`, a {@link histogramJson} value.
 */
export function statsOf(row: Record<string, unknown>): LatencyStats {
  const h = row.h;
  const histogram =
    h === undefined
      ? histogramColumns.map((c) => Number(row[c] ?? 0))
      : ((typeof h === 'string' ? JSON.parse(h) : h) as number[]);
  const count = histogram.reduce((a, b) => a + b, 0);
  const min = row.lat_min;
  const max = row.lat_max;
  return {
    count,
    sumUs: Number(row.lat_sum ?? 0),
    minUs: min === null || min === undefined ? null : Number(min),
    maxUs: max === null || max === undefined ? null : Number(max),
    histogram,
  };
}

function brief(stats: LatencyStats): LatencyBrief | null {
  if (stats.count === 0 || stats.minUs === null || stats.maxUs === null) return null;
  return {
    avgMs: stats.sumUs / stats.count / 1000,
    minMs: stats.minUs / 1000,
    maxMs: stats.maxUs / 1000,
    p95Ms: (quantileFromHistogram(stats, 0.95) ?? 0) / 1000,
  };
}

export function bucketOfRow(row: Record<string, unknown>): RollupBucket {
  return {
    start: Number(row.start),
    ok: Number(row.n_ok),
    fail: Number(row.n_fail),
    degraded: Number(row.n_degraded),
    pending: Number(row.n_pending),
    latency: brief(statsOf(row)),
  };
}
