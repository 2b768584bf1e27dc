import type { AuthStore } from '../api/index.js';
import type { TimeRange, Uptime } from './model/uptime.js';
import type { Tier } from './model/tiers.js';
import type { Outbox, OutboxIntent } from './outbox-types.js';
import type {
  ChangeEvent,
  CheckedEvent,
  History,
  Incident,
  IncidentQuery,
  LatencySummary,
  LatestStatus,
  MonitorInfo,
  MonitorState,
  Page,
  PruneReport,
  SparkPoint,
  StoreMetrics,
} from './types.js';
import type { TableTransfer } from './transfer-types.js';

/** Where the engine loads monitor states when it starts (the store implements it; the engine never imports the store). */
export interface StateSource {
  /**
   * The last persisted state of every monitor the store knows, by monitor id. A monitor resumes from it
   * exactly: counters, backoff position, status and since. States that cannot be read are left out (the
   * monitor starts fresh).
   */
  loadStates(): Promise<Map<string, MonitorState>>;
}

/** What `recordChange` made durable. */
export interface RecordedChange {
  /** The status period the change opened. */
  readonly incidentId: number;
  /** Outbox rows written with it, in the order of the intents. */
  readonly outboxIds: readonly number[];
}

/** Where the composition root sends the engine's events. */
export interface EventSink {
  /**
   * Takes one check result (the engine's `checked` event). Never throws and never waits: the result goes
   * to a bounded buffer flushed every second or every 1,000 results. When the database falls behind and
   * the buffer is full, the raw result is shed (counted in `metrics().shedResults`) — but its rollups, the
   * monitor's state and its status period are still written. `event.change` is ignored: send every change
   * (the engine's `change` event) through {@link EventSink.recordChange}.
   */
  onChecked(event: CheckedEvent): void;
  /**
   * Records a status change — closes the monitor's current period, opens the next, saves its state — and
   * the alert intents it raised, in one transaction. Durable when it resolves; never shed. Rejects only
   * when the store closes before it could be written.
   */
  recordChange(event: ChangeEvent, intents?: readonly OutboxIntent[]): Promise<RecordedChange>;
}

/** Options of {@link StoreReader.history}. */
export interface HistoryOptions {
  /** Read this tier instead of the one the window picks. */
  readonly tier?: Tier;
}

/** What the API and the board read. All times are wall-clock ms. */
export interface StoreReader {
  /** Every monitor with its last persisted state, in config-key order. Removed monitors only when asked. */
  latest(options?: { readonly includeRemoved?: boolean }): Promise<LatestStatus[]>;
  /**
   * Chart data for one monitor: raw results for windows up to 3 h, then minute rollups (up to 2 d), hour
   * rollups (up to 90 d) and day rollups — stepping to a coarser tier when a finer one's retention does
   * not reach back to `from`.
   */
  history(monitorId: string, range: TimeRange, options?: HistoryOptions): Promise<History>;
  /**
   * Time-weighted uptime of one monitor over each window (one read for all of them): time up over time
   * observed, from its status periods clipped to the window. Maintenance, paused and pending time, and
   * gaps with no results, are not observed.
   */
  uptime(monitorId: string, ranges: readonly TimeRange[]): Promise<Uptime[]>;
  /** Latency percentiles (default p50, p95, p99) over a window, from the tier the window picks. */
  latency(
    monitorId: string,
    range: TimeRange,
    quantiles?: readonly number[],
  ): Promise<LatencySummary>;
  /** Status periods, newest first, paged. */
  incidents(query?: IncidentQuery): Promise<Page<Incident>>;
  /**
   * Sparklines of every monitor in one query: `points` equal buckets over the window, read from the
   * coarsest tier finer than a bucket. Monitors without data get empty buckets.
   */
  sparklines(range: TimeRange, points: number): Promise<Map<string, SparkPoint[]>>;
}

/** Which back end, and where. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * Vigil's storage: results, rollups, status periods, monitor states and the alert outbox, in SQLite or
 * PostgreSQL. One Vigil server writes to a database at a time.
 */
export interface Store extends StateSource, EventSink, StoreReader, AsyncDisposable {
  readonly kind: StoreKind;
  /** File path, or URL without its password. */
  readonly location: string;
  readonly outbox: Outbox;
  /** Admin accounts, sessions and API tokens (hashes only), kept across restarts. */
  readonly auth: AuthStore;
  /**
   * Records the monitors of the config (call at start and on every reload): new ones are added, changed
   * names/groups/kinds/intervals updated, and monitors no longer listed marked removed (history kept).
   */
  syncMonitors(monitors: readonly MonitorInfo[]): Promise<void>;
  /** Resolves when everything received so far is durable (or rejects with the flush's error). */
  flush(): Promise<void>;
  /** One retention pass now, in small batches. The store also runs one every hour by itself. */
  prune(): Promise<PruneReport>;
  metrics(): StoreMetrics;
  /** Size of the database on disk, bytes. */
  sizeBytes(): Promise<number>;
  /** Table-by-table row access for {@link migrateStore}. */
  readonly transfer: TableTransfer;
  /** Flushes what is buffered (within the close timeout), stops the timers and closes the database. */
  close(): Promise<void>;
}
