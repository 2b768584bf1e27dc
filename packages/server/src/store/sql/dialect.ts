import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import type { StoreKind } from '../store.js';
import type { Database } from './schema.js';

/** Column types that differ between back ends, for migrations. */
export interface DdlTypes {
  /** Adds an auto-increment integer primary key column `name` to `table`. */
  idColumn<T extends string>(table: CreateTableBuilder<T>, name: string): CreateTableBuilder<T>;
  readonly blob: 'blob' | 'bytea';
  /** Clusters a table on its primary key where the back end can (SQLite `WITHOUT ROWID`). */
  clustered<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T>;
}

/**
 * A multi-row insert the writer runs on every flush, described once so each back end can run it its
 * fastest way: SQLite one cached prepared statement per row, PostgreSQL one `insert … select from
 * unnest(…)` with a column array per parameter (no SQL building or parsing per row).
 */
export interface BulkInsert {
  readonly table: string;
  readonly columns: readonly string[];
  /** PostgreSQL element type of each column, for the `unnest` casts; looked up once when absent. */
  readonly pgTypes?: readonly string[];
  /** The `on conflict …` clause, in SQL both back ends accept (`excluded.x`, `<table>.x`). */
  readonly onConflict: string;
}

/** Options of {@link SqlDialect.write}. */
export interface WriteOptions {
  /**
   * Whether the commit must reach the disk before it resolves (default true). False for batches of
   * results only: SQLite commits them with `synchronous=NORMAL`, PostgreSQL with `synchronous_commit=off`
   * — safe against a killed process, and a power cut loses at most the last such commits, never a
   * change or outbox row (those batches are durable, and their commit flushes the earlier ones too).
   */
  readonly durable?: boolean;
}

export type ColumnBuilder = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/**
 * What a SQL back end provides to the shared Kysely implementation: the connection, its transactions,
 * and the few things SQLite and PostgreSQL do differently.
 */
export interface SqlDialect {
  readonly kind: StoreKind;
  /** File path, or URL without its password. */
  readonly location: string;
  readonly db: Kysely<Database>;
  readonly ddl: DdlTypes;
  /** Most bind parameters one statement may carry. */
  readonly maxParams: number;
  /**
   * `insertMany` sends any number of rows as one statement (PostgreSQL's `unnest`): rows of one table
   * then share one statement, rather than one statement per shape of row (SQLite runs a prepared
   * statement per row, and a row naming fewer columns binds fewer values).
   */
  readonly oneStatementBulk: boolean;
  /** PostgreSQL can lock claimed outbox rows with `FOR UPDATE SKIP LOCKED`. */
  readonly skipLocked: boolean;
  /** Runs `fn` holding the schema lock: an advisory lock (PostgreSQL) or the write lock (SQLite). */
  withSchemaLock<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs `fn` in a write transaction (SQLite: `BEGIN IMMEDIATE`, so two processes never deadlock). */
  write<T>(fn: (db: Kysely<Database>) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * Inserts `rows` (values in `spec.columns` order) inside the write transaction `db` (from
   * {@link SqlDialect.write}); Uint8Array values are blobs.
   */
  insertMany(
    db: Kysely<Database>,
    spec: BulkInsert,
    rows: readonly (readonly unknown[])[],
  ): Promise<void>;
  /**
   * Called by the writer between the statements of its transaction: a back end whose driver is
   * synchronous (better-sqlite3) yields to the event loop here once the loop has been held for a few
   * milliseconds, keeping the transaction (and its connection) open meanwhile; others resolve at once.
   */
  breathe(): Promise<void>;
  /** After rows were inserted with explicit ids: moves id sequences past them. */
  resetSequences(tables: readonly string[]): Promise<void>;
  sizeBytes(): Promise<number>;
  /**
   * Hands pages freed by deletes back to the file system, a few megabytes per step with the event loop
   * yielded between steps (SQLite `incremental_vacuum`); returns the bytes reclaimed. PostgreSQL's
   * autovacuum makes freed space reusable instead: 0.
   */
  reclaim(): Promise<number>;
  /** A clear, typed error for a driver error met while `doing` something, naming the location. */
  translate(error: unknown, doing: string): Error;
  destroy(): Promise<void>;
}
