import type { Store } from './store.js';

/** Progress of {@link migrateStore}, told after every batch. */
export interface MigrateProgress {
  readonly table: string;
  /** Rows of this table copied so far (in this run and earlier ones). */
  readonly copied: number;
  /** Rows of this table in the source when the run began. */
  readonly total: number;
  /** Over all tables. */
  readonly overall: { readonly copied: number; readonly total: number };
}

/** Options of {@link migrateStore}. */
export interface MigrateStoreOptions {
  /** Rows per read and per write transaction. Default 2,000. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: MigrateProgress) => void;
  /** Stops between batches; the copy can be resumed by running it again. */
  readonly signal?: AbortSignal;
}

export interface MigrateStoreReport {
  /** Rows copied per table in this run. */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  /** True when this run continued an interrupted one. */
  readonly resumed: boolean;
}

interface Marker {
  source: string;
  cursors: Record<string, unknown[] | null>;
  copied: Record<string, number>;
  done: string[];
  finished: boolean;
}

const MARKER = 'migrate-store';

/**
 * Copies every table of `from` into `to` (SQLite → PostgreSQL or back), in key order and in batches,
 * keeping ids. `to` must be empty, or the target of an earlier run from the same source: the position
 * is saved after every batch, so an interrupted copy resumes where it stopped, and every write is an
 * idempotent upsert, so re-running a finished copy is safe. Stop Vigil first: rows written to `from`
 * during the copy may be missed.
 */
export async function migrateStore(
  from: Store,
  to: Store,
  options: MigrateStoreOptions = {},
): Promise<MigrateStoreReport> {
  const batchSize = options.batchSize ?? 2000;
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new RangeError(`migrateStore: batchSize must be a positive integer, got ${batchSize}`);
  const src = from.transfer;
  const dst = to.transfer;
  const saved = await dst.getMeta(MARKER);
  let marker = saved === undefined ? undefined : (JSON.parse(saved) as Marker);
  if (marker !== undefined && marker.source !== from.location)
    throw new Error(
      `migrateStore: ${to.location} holds a copy of ${marker.source}, not of ${from.location}; use an empty target`,
    );
  if (marker === undefined) await assertEmpty(to);
  const resumed = marker !== undefined && !marker.finished;
  if (marker === undefined || marker.finished)
    marker = { source: from.location, cursors: {}, copied: {}, done: [], finished: false };
  await from.flush();
  const totals = new Map<string, number>();
  for (const t of src.tables) totals.set(t, await src.count(t));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  let overall = src.tables.reduce((a, t) => a + (marker.copied[t] ?? 0), 0);
  const report: { table: string; rows: number }[] = [];
  for (const table of src.tables) {
    let rows = 0;
    if (!marker.done.includes(table)) {
      let cursor = marker.cursors[table] ?? null;
      for (;;) {
        options.signal?.throwIfAborted();
        const batch = await src.read(table, cursor, batchSize);
        if (batch.rows.length === 0) break;
        await dst.write(table, batch.rows);
        cursor = batch.last;
        rows += batch.rows.length;
        overall += batch.rows.length;
        marker.cursors[table] = cursor;
        marker.copied[table] = (marker.copied[table] ?? 0) + batch.rows.length;
        await dst.setMeta(MARKER, JSON.stringify(marker));
        options.onProgress?.({
          table,
          copied: marker.copied[table],
          total: totals.get(table) ?? 0,
          overall: { copied: overall, total },
        });
        if (batch.rows.length < batchSize) break;
      }
      marker.done.push(table);
      await dst.setMeta(MARKER, JSON.stringify(marker));
    }
    report.push({ table, rows });
  }
  await dst.finish();
  marker.finished = true;
  await dst.setMeta(MARKER, JSON.stringify(marker));
  return { tables: report, resumed };
}

async function assertEmpty(store: Store): Promise<void> {
  for (const t of store.transfer.tables) {
    if ((await store.transfer.count(t)) > 0)
      throw new Error(
        `migrateStore: the target ${store.location} already has data (table ${t}); copy into an empty database`,
      );
  }
}
