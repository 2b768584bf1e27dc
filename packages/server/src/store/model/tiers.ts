import type { Retention } from './retention.js';

/** Storage tiers, finest first: raw results, then rollups per minute, hour and (UTC) day. */
export const tiers = ['raw', 'minute', 'hour', 'day'] as const;
export type Tier = (typeof tiers)[number];
export type RollupTier = Exclude<Tier, 'raw'>;
export const rollupTiers = ['minute', 'hour', 'day'] as const satisfies readonly RollupTier[];

/** Width of a rollup tier's buckets, ms. */
export const tierMs: Readonly<Record<RollupTier, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the bucket of `tier` holding `ts` (UTC; days start at 00:00 UTC). */
export function bucketStart(ts: number, tier: RollupTier): number {
  const size = tierMs[tier];
  return Math.floor(ts / size) * size;
}

/** The longest window each tier serves by default, so a chart stays in the low thousands of points. */
export const tierMaxSpanMs: Readonly<Record<Tier, number>> = {
  raw: 3 * 3_600_000,
  minute: 2 * 86_400_000,
  hour: 90 * 86_400_000,
  day: Infinity,
};

/**
 * The tier that serves a window: the finest whose default span covers it and whose retention still
 * reaches back to `from` (older data of a finer tier has been pruned).
 */
export function pickTier(from: number, to: number, now: number, retention: Retention): Tier {
  const span = to - from;
  for (const tier of tiers) {
    if (span > tierMaxSpanMs[tier]) continue;
    if (from < now - retention[tier]) continue;
    return tier;
  }
  return 'day';
}
