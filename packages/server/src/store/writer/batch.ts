import type { RecordedChange } from '../store.js';
import type { OutboxIntent } from '../outbox-types.js';
import { BUCKETS, bucketOf } from '../model/histogram.js';
import { bucketStart, rollupTiers, type RollupTier } from '../model/tiers.js';
import type { ChangeEvent, MonitorState, Status } from '../types.js';

/** A result ready to insert (monitor by config key; the SQL layer maps keys and messages to ids). */
export interface RawRow {
  readonly monitor: string;
  readonly ts: number;
  readonly outcome: number;
  readonly latencyUs: number;
  readonly message: string;
  readonly details: string;
  readonly value: number | null;
  readonly phases: Uint8Array | null;
}

/** Counts and latency of one rollup bucket, to be added to the stored row. */
export interface RollupAgg {
  readonly tier: RollupTier;
  readonly monitor: string;
  readonly start: number;
  /** By outcome code: ok, fail, degraded, pending. */
  readonly counts: [number, number, number, number];
  latSum: number;
  latMin: number | null;
  latMax: number | null;
  /**
   * The latency histogram, kept sparse: while every latency fell into one bucket, `bucket` is that bucket
   * (`-1` while there is none) and `hist` is null; once they spread over two, `hist` holds the count of
   * every bucket. At one result per monitor and bucket between flushes (the common case), no array is
   * made and the row written names one histogram column instead of all of them.
   */
  bucket: number;
  hist: number[] | null;
}

/** Latencies in a rollup's histogram: those of its ok and degraded results. */
export function latencyCount(agg: RollupAgg): number {
  return agg.counts[0] + agg.counts[2];
}

/** The histogram's counts by bucket, all of them. */
export function histogramOf(agg: RollupAgg): number[] {
  if (agg.hist !== null) return agg.hist;
  const hist = new Array<number>(BUCKETS).fill(0);
  if (agg.bucket >= 0) hist[agg.bucket] = latencyCount(agg);
  return hist;
}

/** Results of one monitor seen back to back (no gap between them), folded into its status period. */
export interface Observation {
  readonly kind: 'observe';
  readonly monitor: string;
  status: Status;
  reason: string;
  first: number;
  last: number;
  readonly gapMs: number;
}

/** A status change waiting to be written, with the caller waiting on it. */
export interface ChangeItem {
  readonly kind: 'change';
  readonly seq: number;
  readonly event: ChangeEvent;
  readonly intents: readonly OutboxIntent[];
  readonly gapMs: number;
  readonly resolve: (receipt: RecordedChange) => void;
  readonly reject: (error: unknown) => void;
}

/** The newest state of a monitor; `seq` orders states across the buffered and the immediate paths. */
export interface PendingState {
  readonly monitor: string;
  readonly seq: number;
  readonly state: MonitorState;
  readonly at: number;
}

export type JournalItem = Observation | ChangeItem;

/** What one write transaction carries. */
export interface Batch {
  readonly results: readonly RawRow[];
  readonly rollups: readonly RollupAgg[];
  /** Applied in order: sealed observations and changes, as they arrived. */
  readonly journal: readonly JournalItem[];
  /** Open observations, applied after the journal. */
  readonly observations: readonly Observation[];
  readonly states: readonly PendingState[];
  /** Wall time of the flush, ms. */
  readonly now: number;
}

/** Adds one result to the rollup accumulators of every tier. */
export function addToRollups(
  rollups: Map<string, RollupAgg>,
  monitor: string,
  ts: number,
  outcome: number,
  latencyUs: number,
): void {
  for (const tier of rollupTiers) {
    const start = bucketStart(ts, tier);
    const key = `${tier}\u0000${monitor}\u0000${start}`;
    let agg = rollups.get(key);
    if (agg === undefined) {
      agg = emptyAgg(tier, monitor, start);
      rollups.set(key, agg);
    }
    agg.counts[outcome] = (agg.counts[outcome] ?? 0) + 1;
    // Latency statistics describe a working service: ok (0) and degraded (2) results only.
    if (outcome === 0 || outcome === 2) addLatency(agg, latencyUs);
  }
}

function emptyAgg(tier: RollupTier, monitor: string, start: number): RollupAgg {
  return {
    tier,
    monitor,
    start,
    counts: [0, 0, 0, 0],
    latSum: 0,
    latMin: null,
    latMax: null,
    bucket: -1,
    hist: null,
  };
}

function addLatency(agg: RollupAgg, us: number): void {
  agg.latSum += us;
  agg.latMin = agg.latMin === null ? us : Math.min(agg.latMin, us);
  agg.latMax = agg.latMax === null ? us : Math.max(agg.latMax, us);
  addToBucket(agg, bucketOf(us));
}

/** Adds one latency in bucket `k`; the counts of `agg` already include it. */
function addToBucket(agg: RollupAgg, k: number): void {
  if (agg.hist === null && (agg.bucket === -1 || agg.bucket === k)) {
    agg.bucket = k;
    return;
  }
  // A second bucket: the first one holds every latency counted before this one.
  agg.hist ??= spread(agg.bucket, latencyCount(agg) - 1);
  agg.hist[k] = (agg.hist[k] ?? 0) + 1;
}

/** A full histogram holding `n` latencies in bucket `k` (none when `k` is -1). */
function spread(k: number, n: number): number[] {
  const hist = new Array<number>(BUCKETS).fill(0);
  if (k >= 0) hist[k] = n;
  return hist;
}

/** Adds `from` into `into` (both accumulate the same bucket). */
export function mergeAgg(into: RollupAgg, from: RollupAgg): void {
  const had = latencyCount(into);
  for (let i = 0; i < 4; i++) into.counts[i] = (into.counts[i] ?? 0) + (from.counts[i] ?? 0);
  into.latSum += from.latSum;
  if (from.latMin !== null)
    into.latMin = into.latMin === null ? from.latMin : Math.min(into.latMin, from.latMin);
  if (from.latMax !== null)
    into.latMax = into.latMax === null ? from.latMax : Math.max(into.latMax, from.latMax);
  if (from.hist === null && from.bucket === -1) return;
  if (
    into.hist === null &&
    from.hist === null &&
    (into.bucket === -1 || into.bucket === from.bucket)
  ) {
    into.bucket = from.bucket;
    return;
  }
  const hist = into.hist ?? spread(into.bucket, had);
  const add = histogramOf(from);
  for (let k = 0; k < BUCKETS; k++) hist[k] = (hist[k] ?? 0) + (add[k] ?? 0);
  into.hist = hist;
}

export function rollupKey(agg: RollupAgg): string {
  return `${agg.tier}\u0000${agg.monitor}\u0000${agg.start}`;
}
