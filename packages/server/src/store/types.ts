import type { Outcome, Phase } from '../checks/index.js';
import type { ChangeCause, MonitorState, Status } from '../engine/types.js';
import type { RollupTier } from './model/tiers.js';

export type { Outcome, Phase } from '../checks/index.js';
export type {
  Change,
  ChangeCause,
  ChangeEvent,
  CheckedEvent,
  MonitorState,
  Status,
} from '../engine/types.js';

/**
 * What the store records about a monitor, from the config. `MonitorConfig` has this shape. Name, group
 * and kind are kept after the monitor leaves the config, so its history still reads well.
 */
export interface MonitorInfo {
  /** Stable id: the config key. */
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  /** Check interval, ms; sets how long a silence must last to count as a gap (3 × interval, ≥ 1 min). */
  readonly intervalMs: number;
}

/** A monitor known to the store. */
export interface StoredMonitor extends MonitorInfo {
  /** When it was first seen, ms. */
  readonly createdAt: number;
  /** When it left the config, ms; `null` while it is in it. */
  readonly removedAt: number | null;
}

/** A monitor with its last persisted runtime state (`null` before its first result or change). */
export interface LatestStatus {
  readonly monitor: StoredMonitor;
  readonly state: MonitorState | null;
  /** When that state was persisted, ms. */
  readonly updatedAt: number | null;
}

/** One stored check result (the raw tier). */
export interface StoredResult {
  /** Wall time the check started, ms. */
  readonly at: number;
  readonly outcome: Outcome;
  readonly latencyMs: number;
  /** Cut to 500 characters. */
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
  readonly value?: number;
  readonly phases?: Readonly<Partial<Record<Phase, number>>>;
}

/** Latency of the ok and degraded results in a bucket or window, ms (failures' time-to-fail is left out). */
export interface LatencyBrief {
  readonly avgMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Estimated from the bucket's histogram. */
  readonly p95Ms: number;
}

/** One bucket of a rollup tier. */
export interface RollupBucket {
  /** Bucket start, ms (UTC-aligned to the tier). */
  readonly start: number;
  readonly ok: number;
  readonly fail: number;
  readonly degraded: number;
  readonly pending: number;
  /** `null` when the bucket has no ok or degraded result. */
  readonly latency: LatencyBrief | null;
}

/** Chart data for a window: raw results for short windows, a rollup tier for longer ones. */
export type History =
  | {
      readonly tier: 'raw';
      readonly from: number;
      readonly to: number;
      readonly results: readonly StoredResult[];
    }
  | {
      readonly tier: RollupTier;
      readonly from: number;
      readonly to: number;
      /** Bucket width, ms. */
      readonly stepMs: number;
      /** Buckets that have data, in time order. */
      readonly buckets: readonly RollupBucket[];
    };

/** Latency percentiles over a window. */
export interface LatencySummary {
  /** The tier read: `raw` gives exact percentiles, rollups estimates within one half-octave bucket. */
  readonly tier: 'raw' | RollupTier;
  /** Ok and degraded results counted. */
  readonly count: number;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  readonly avgMs: number | null;
  /** In the order asked. */
  readonly quantiles: readonly { readonly q: number; readonly ms: number | null }[];
}

/** A status period: a status change and how long the status lasted. */
export interface Incident {
  readonly id: number;
  readonly monitorId: string;
  readonly from: Status;
  readonly to: Status;
  /** What caused the change: the engine's causes, or `observed` (observation began or resumed after a gap). */
  readonly cause: ChangeCause | 'observed';
  readonly reason: string;
  readonly startedAt: number;
  /** `null` while it lasts. */
  readonly endedAt: number | null;
  /** Last result seen during it, ms. */
  readonly lastSeenAt: number | null;
}

/** A page of incidents, newest first. */
export interface IncidentQuery {
  /** One monitor, or all. */
  readonly monitorId?: string;
  /** Statuses of the periods to list. Default `['down', 'degraded']` (what people call incidents). */
  readonly statuses?: readonly Status[];
  /** Only periods that overlap this window. */
  readonly from?: number;
  readonly to?: number;
  /** The `next` of the previous page. */
  readonly cursor?: string | null;
  /** Default 50, at most 500. */
  readonly limit?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  readonly next: string | null;
}

/** One point of a board sparkline. */
export interface SparkPoint {
  readonly start: number;
  readonly ok: number;
  readonly fail: number;
  readonly degraded: number;
  readonly pending: number;
  /** Mean latency of ok and degraded results, ms; `null` without any. */
  readonly avgLatencyMs: number | null;
}

/** What the writer has done, for `/metrics`. Counters only grow. */
export interface StoreMetrics {
  /** Results waiting in the buffer. */
  readonly bufferedResults: number;
  /** State changes queued and not yet durable. */
  readonly pendingChanges: number;
  /** Raw results written. */
  readonly writtenResults: number;
  /** Raw results dropped because the buffer was full (their rollups, state and incidents were kept). */
  readonly shedResults: number;
  readonly flushes: number;
  readonly failedFlushes: number;
  /** Duration of the last successful flush, ms. */
  readonly lastFlushMs: number;
  /** The last flush error, cleared by a successful flush. */
  readonly lastError: Error | null;
}

/** What one retention pass deleted, in rows per kind. */
export interface PruneReport {
  readonly raw: number;
  readonly minute: number;
  /** Rows of the board's 15-minute tier (kept as long as the minute tier). */
  readonly quarter: number;
  readonly hour: number;
  readonly day: number;
  readonly incidents: number;
  readonly outbox: number;
  readonly messages: number;
  /** Bytes handed back to the file system afterwards (SQLite); 0 on PostgreSQL, whose autovacuum reuses them. */
  readonly reclaimedBytes: number;
}
