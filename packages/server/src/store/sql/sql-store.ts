/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import type { BackoffPolicy, Clock, Timer } from '@vigil/resilience';
import { sql } from 'kysely';
import type { AuthStore } from '../../api/index.js';
import { StoreClosedError } from '../errors/index.js';
import { decodeState } from '../model/codec.js';
import { DEFAULT_INTERVAL_MS, gapLimitMs } from '../model/gaps.js';
import type { Retention } from '../model/retention.js';
import type { TimeRange, Uptime } from '../model/uptime.js';
import type { OutboxIntent, Outbox } from '../outbox-types.js';
import type { HistoryOptions, RecordedChange, Store, StoreKind } from '../store.js';
import type { TableTransfer } from '../transfer-types.js';
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
} from '../types.js';
import { BatchWriter } from '../writer/batch-writer.js';
import { sqlAuthStore } from './auth.js';
import { sparklines } from './board.js';
import type { SqlDialect } from './dialect.js';
import { incidents } from './incidents.js';
import { sqlOutbox } from './outbox.js';
import { prune } from './prune.js';
import * as q from './queries.js';
import { sqlTransfer } from './transfer.js';
import { SqlBatchWrite } from './writes.js';

/** Options of {@link SqlStore}, shared by both back ends. */
export interface SqlStoreOptions {
  readonly clock: Clock;
  readonly retention: Retention;
  /** Flush period, ms (default 1,000). */
  readonly flushIntervalMs?: number;
  /** Results per flush (default 1,000). */
  readonly batchSize?: number;
  /** Results kept while the database is behind (default 100,000); past it raw results are shed. */
  readonly bufferSize?: number;
  /** Delays between failed flushes. Default exponential 250 ms → 30 s. */
  readonly flushRetry?: BackoffPolicy;
  /** How long `close()` keeps trying to flush, ms (default 10,000). */
  readonly closeTimeoutMs?: number;
  /** Retention pass period, ms (default 1 h, the first a minute after opening); `null` turns it off. */
  readonly pruneIntervalMs?: number | null;
  /** Told about failed flushes and retention passes (they are retried; nothing is thrown at the engine). */
  readonly onError?: (error: unknown) => void;
}

const DEFAULT_QUANTILES = [0.5, 0.95, 0.99] as const;

/** The {@link Store} over a {@link SqlDialect}: everything but the connection is shared by both back ends. */
export class SqlStore implements Store {
  readonly kind: StoreKind;
  readonly location: string;
  readonly outbox: Outbox;
  readonly auth: AuthStore;
  readonly transfer: TableTransfer;
  readonly #d: SqlDialect;
  readonly #o: SqlStoreOptions;
  readonly #writes: SqlBatchWrite;
  readonly #writer: BatchWriter;
  readonly #gaps = new Map<string, number>();
  #pruneTimer: Timer | undefined;
  #pruning: Promise<PruneReport> | undefined;
  #closed: Promise<void> | undefined;

  private constructor(dialect: SqlDialect, options: SqlStoreOptions, startSeq: number) {
    this.#d = dialect;
    this.#o = options;
    this.kind = dialect.kind;
    this.location = dialect.location;
    this.#writes = new SqlBatchWrite(dialect);
    this.#writer = new BatchWriter({
      clock: options.clock,
      write: (batch) => this.#writes.write(batch),
      gapMs: (m) => this.#gaps.get(m) ?? gapLimitMs(DEFAULT_INTERVAL_MS),
      startSeq,
      ...pick(options, ['flushIntervalMs', 'batchSize', 'bufferSize', 'closeTimeoutMs', 'onError']),
      ...(options.flushRetry === undefined ? {} : { retry: options.flushRetry }),
    });
    this.outbox = sqlOutbox(dialect, () => options.clock.now());
    this.auth = sqlAuthStore(dialect.db);
    this.transfer = sqlTransfer(dialect);
  }

  /** Opens a store over a migrated dialect: loads gap limits and the state sequence, starts retention. */
  static async open(dialect: SqlDialect, options: SqlStoreOptions): Promise<SqlStore> {
    const seq = await dialect.db
      .selectFrom('monitor_state')
      .select(sql<number | null>`max(seq)`.as('s'))
      .executeTakeFirst();
    const store = new SqlStore(dialect, options, Number(seq?.s ?? 0));
    const monitors = await dialect.db
      .selectFrom('monitors')
      .select(['key', 'interval_ms'])
      .execute();
    for (const m of monitors) store.#gaps.set(m.key, gapLimitMs(Number(m.interval_ms)));
    const every = options.pruneIntervalMs === undefined ? 3_600_000 : options.pruneIntervalMs;
    if (every !== null) store.#schedulePrune(Math.min(60_000, every), every);
    return store;
  }

  onChecked(event: CheckedEvent): void {
    this.#writer.onChecked(event);
  }

  recordChange(event: ChangeEvent, intents: readonly OutboxIntent[] = []): Promise<RecordedChange> {
    return this.#writer.recordChange(event, intents);
  }

  async loadStates(): Promise<Map<string, MonitorState>> {
    const rows = await this.#d.db
      .selectFrom('monitor_state as s')
      .innerJoin('monitors as m', 'm.id', 's.monitor_id')
      .select(['m.key', 's.state'])
      .execute();
    const out = new Map<string, MonitorState>();
    for (const r of rows) {
      const state = decodeState(r.state);
      if (state !== undefined) out.set(r.key, state);
    }
    return out;
  }

  async syncMonitors(monitors: readonly MonitorInfo[]): Promise<void> {
    this.#open();
    const now = this.#o.clock.now();
    const keys = monitors.map((m) => m.id);
    await this.#d.write(async (db) => {
      for (const m of monitors) {
        const row = {
          name: m.name,
          group_id: m.group,
          kind: m.kind,
          interval_ms: m.intervalMs,
          updated_at: now,
          removed_at: null,
        };
        await db
          .insertInto('monitors')
          .values({ key: m.id, created_at: now, ...row })
          .onConflict((oc) => oc.column('key').doUpdateSet(row))
          .execute();
      }
      let removed = db
        .updateTable('monitors')
        .set({ removed_at: now })
        .where('removed_at', 'is', null);
      if (keys.length > 0) removed = removed.where('key', 'not in', keys);
      await removed.execute();
    });
    for (const m of monitors) this.#gaps.set(m.id, gapLimitMs(m.intervalMs));
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  latest(options: { readonly includeRemoved?: boolean } = {}): Promise<LatestStatus[]> {
    return q.latest(this.#d.db, options.includeRemoved ?? false);
  }

  history(monitorId: string, range: TimeRange, options: HistoryOptions = {}): Promise<History> {
    return q.history(
      this.#d.db,
      this.#d.kind,
      monitorId,
      range,
      this.#o.clock.now(),
      this.#o.retention,
      options,
    );
  }

  uptime(monitorId: string, ranges: readonly TimeRange[]): Promise<Uptime[]> {
    return q.uptime(this.#d.db, monitorId, ranges, this.#o.clock.now());
  }

  latency(
    monitorId: string,
    range: TimeRange,
    quantiles: readonly number[] = DEFAULT_QUANTILES,
  ): Promise<LatencySummary> {
    return q.latency(
      this.#d.db,
      monitorId,
      range,
      quantiles,
      this.#o.clock.now(),
      this.#o.retention,
    );
  }

  incidents(query: IncidentQuery = {}): Promise<Page<Incident>> {
    return incidents(this.#d.db, query);
  }

  sparklines(range: TimeRange, points: number): Promise<Map<string, SparkPoint[]>> {
    return sparklines(this.#d, range, points, this.#o.clock.now(), this.#o.retention);
  }

  prune(): Promise<PruneReport> {
    this.#open();
    if (this.#pruning !== undefined) return this.#pruning;
    const run = prune(this.#d, this.#o.retention, this.#o.clock.now())
      .then((report) => {
        this.#writes.ids.forgetMessages();
        return report;
      })
      .finally(() => {
        this.#pruning = undefined;
      });
    this.#pruning = run;
    return run;
  }

  metrics(): StoreMetrics {
    return this.#writer.metrics();
  }

  sizeBytes(): Promise<number> {
    return this.#d.sizeBytes();
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#pruneTimer?.cancel();
      await this.#writer.close();
      await this.#pruning?.catch(() => {});
      await this.#d.destroy();
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #open(): void {
    if (this.#closed !== undefined)
      throw new StoreClosedError(`the store at ${this.location} is closed`);
  }

  #schedulePrune(delayMs: number, everyMs: number): void {
    this.#pruneTimer = this.#o.clock.setTimer(delayMs, () => {
      if (this.#closed !== undefined) return;
      this.prune()
        .catch((error: unknown) => this.#o.onError?.(this.#d.translate(error, 'pruning old data')))
        .finally(() => {
          if (this.#closed === undefined) this.#schedulePrune(everyMs, everyMs);
        });
    });
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
