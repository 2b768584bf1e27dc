/**
 * Storage: results, rollups, status periods, monitor states and the alert outbox, in SQLite (default) or
 * PostgreSQL. The engine never imports this folder; `app.ts` wires a {@link Store} to the engine as its
 * `StateSource` and event sink.
 */
export type {
  Store,
  StoreKind,
  StateSource,
  EventSink,
  StoreReader,
  RecordedChange,
  HistoryOptions,
} from './store.js';
export type * from './types.js';
export type * from './outbox-types.js';
export { outboxStatuses } from './outbox-types.js';
export type { Row, TableTransfer } from './transfer-types.js';
export { createStore } from './create-store.js';
export type { CreateStoreOptions } from './create-store.js';
export { openSqliteStore } from './sqlite/index.js';
export type { SqliteStoreOptions } from './sqlite/index.js';
export { openPostgresStore, redactUrl } from './postgres/index.js';
export type { PostgresStoreOptions } from './postgres/index.js';
export type { SqlStoreOptions } from './sql/sql-store.js';
export { latestVersion as schemaVersion } from './sql/migrations.js';
export { migrateStore } from './migrate-store.js';
export type { MigrateStoreOptions, MigrateProgress, MigrateStoreReport } from './migrate-store.js';
export { defaultRetention, resolveRetention } from './model/retention.js';
export type { Retention } from './model/retention.js';
export type { TimeRange, Uptime } from './model/uptime.js';
export { tiers, rollupTiers, tierMs } from './model/tiers.js';
export type { Tier, RollupTier } from './model/tiers.js';
export { gapLimitMs } from './model/gaps.js';
export * from './errors/index.js';
// The stored format, for tools that write rows directly (benchmarks, importers).
export { BUCKETS, bucketOf, bucketUpperUs } from './model/histogram.js';
export { encodeOutcome, encodePhases, toMicros } from './model/codec.js';
