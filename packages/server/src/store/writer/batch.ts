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
  readonly hist: number[];
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
    hist: new Array<number>(BUCKETS).fill(0),
  };
}

function addLatency(agg: RollupAgg, us: number): void {
  agg.latSum += us;
  agg.latMin = agg.latMin === null ? us : Math.min(agg.latMin, us);
  agg.latMax = agg.latMax === null ? us : Math.max(agg.latMax, us);
  const k = bucketOf(us);
  agg.hist[k] = (agg.hist[k] ?? 0) + 1;
}

/** Adds `from` into `into` (both accumulate the same bucket). */
export function mergeAgg(into: RollupAgg, from: RollupAgg): void {
  for (let i = 0; i < 4; i++) into.counts[i] = (into.counts[i] ?? 0) + (from.counts[i] ?? 0);
  into.latSum += from.latSum;
  if (from.latMin !== null)
    into.latMin = into.latMin === null ? from.latMin : Math.min(into.latMin, from.latMin);
  if (from.latMax !== null)
    into.latMax = into.latMax === null ? from.latMax : Math.max(into.latMax, from.latMax);
  for (let k = 0; k < BUCKETS; k++) into.hist[k] = (into.hist[k] ?? 0) + (from.hist[k] ?? 0);
}

export function rollupKey(agg: RollupAgg): string {
  return `${agg.tier}\u0000${agg.monitor}\u0000${agg.start}`;
}
