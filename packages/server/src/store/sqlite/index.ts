import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { systemClock, type Clock } from '@vigil/resilience';
import { Kysely, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Store } from '../store.js';
import type { BulkInsert, DdlTypes, SqlDialect, WriteOptions } from '../sql/dialect.js';
import { migrate } from '../sql/migrate.js';
import type { Database } from '../sql/schema.js';
import { SqlStore, type SqlStoreOptions } from '../sql/sql-store.js';
import { describeSqliteError } from './errors.js';

export { describeSqliteError } from './errors.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends SqlStoreOptions {
  /** Database file; its directory is created when missing. */
  readonly path: string;
}

/** Pages one `incremental_vacuum` step frees (4 MB at the default page size). */
const RECLAIM_PAGES = 1024;

const ddl: DdlTypes = {
  idColumn: (table, name) =>
    table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement()),
  blob: 'blob',
  clustered: (table) => table.modifyEnd(sql`without rowid`),
};

/**
 * Opens (creating when needed) the SQLite store at `path`: WAL journal, `synchronous=FULL` (a change is
 * on disk when `recordChange` resolves, even across a power cut; flushes of results alone commit with
 * `NORMAL`), `auto_vacuum=INCREMENTAL` for a new file, migrations run at once.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const dialect = openSqliteDialect(resolve(options.path), options.clock);
  try {
    await migrate(dialect, options.clock.now()).catch((error: unknown) => {
      throw dialect.translate(error, 'migrating the schema');
    });
    return await SqlStore.open(dialect, options);
  } catch (error) {
    await dialect.destroy();
    throw error;
  }
}

/**
 * The SQLite {@link SqlDialect} for the file at `path` (absolute); `clock` times how long a write has held
 * the event loop (see `breathe`).
 */
export function openSqliteDialect(
  path: string,
  clock: Pick<Clock, 'monotonic'> = systemClock,
): SqlDialect {
  let raw: BetterSqlite3.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    raw = new BetterSqlite3(path);
  } catch (error) {
    throw describeSqliteError(whyNotWritable(dirname(path)) ?? error, path, 'opening the database');
  }
  try {
    const fresh = (raw.pragma('page_count', { simple: true }) as number) === 0;
    // Must precede the first table; lets a future `incremental_vacuum` hand freed pages back to the disk.
    if (fresh) raw.pragma('auto_vacuum = INCREMENTAL');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('cache_size = -16000');
    raw.pragma('journal_size_limit = 67108864');
    raw.pragma('temp_store = MEMORY');
  } catch (error) {
    raw.close();
    throw describeSqliteError(error, path, 'setting up the database');
  }
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingDatabase(raw) }),
  });
  /** When the write transaction last began or yielded the loop (see `breathe`). */
  let heldSince = 0;
  const immediate = <T>(
    fn: (db: Kysely<Database>) => Promise<T>,
    options: WriteOptions = {},
  ): Promise<T> =>
    db.connection().execute(async (conn) => {
      // WAL + NORMAL: the commit is in the WAL (safe from a killed process) but not fsynced yet.
      const relaxed = options.durable === false;
      if (relaxed) raw.pragma('synchronous = NORMAL');
      try {
        await sql`begin immediate`.execute(conn);
        heldSince = clock.monotonic();
        try {
          const out = await fn(conn);
          await sql`commit`.execute(conn);
          return out;
        } catch (error) {
          if (raw.inTransaction) await sql`rollback`.execute(conn);
          throw error;
        }
      } finally {
        if (relaxed) raw.pragma('synchronous = FULL');
      }
    });
  const bulk = new WeakMap<BulkInsert, BetterSqlite3.Statement>();
  // better-sqlite3 runs every statement on the event loop. A flush (hundreds of results, three rollup
  // tiers, states) would hold it for 100 ms and more; the writer calls `breathe` between statements and
  // rows, which yields once the loop has been held for SLICE_MS. The transaction stays open across the
  // yield, holding the one connection: other queries wait for its end, and atomicity and durability are
  // those of one transaction, as before.
  const breathe = async (): Promise<void> => {
    if (clock.monotonic() - heldSince < SLICE_MS) return;
    await yieldToEventLoop();
    heldSince = clock.monotonic();
  };
  return {
    kind: 'sqlite',
    location: path,
    db,
    ddl,
    maxParams: 30_000,
    oneStatementBulk: false,
    skipLocked: false,
    withSchemaLock: immediate,
    write: immediate,
    // One connection: `db` is the transaction `immediate` holds, and the raw handle runs inside it.
    insertMany(_db, spec, rows) {
      let stmt = bulk.get(spec);
      if (stmt === undefined) {
        const marks = spec.columns.map(() => '?').join(', ');
        stmt = raw.prepare(
          `insert into "${spec.table}" (${spec.columns.map((c) => `"${c}"`).join(', ')}) values (${marks}) ${spec.onConflict}`,
        );
        bulk.set(spec, stmt);
      }
      return insertRows(stmt, rows, breathe);
    },
    breathe,
    // AUTOINCREMENT already tracks the largest id ever inserted, explicit ones included.
    resetSequences: () => Promise.resolve(),
    sizeBytes: () => Promise.resolve(fileSize(path) + fileSize(`${path}-wal`)),
    async reclaim() {
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      let freed = 0;
      for (;;) {
        const pages = await db.connection().execute(async (conn) => {
          const free = raw.pragma('freelist_count', { simple: true }) as number;
          if (free === 0) return 0;
          const n = Math.min(free, RECLAIM_PAGES);
          await sql.raw(`pragma incremental_vacuum(${n})`).execute(conn);
          return n;
        });
        if (pages === 0) return freed * pageSize;
        freed += pages;
        await yieldToEventLoop();
      }
    },
    translate: (error, doing) => describeSqliteError(error, path, doing),
    destroy: () => db.destroy(),
  };
}

/** How long a write may hold the event loop before it yields (between statements or rows), ms. */
const SLICE_MS = 5;

/** Runs `stmt` for each row, yielding to the event loop through `breathe` every few rows. */
async function insertRows(
  stmt: BetterSqlite3.Statement,
  rows: readonly (readonly unknown[])[],
  breathe: () => Promise<void>,
): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    stmt.run(rows[i]);
    if (i % 32 === 31) await breathe();
  }
}

/**
 * The real reason a directory cannot be created: `mkdir -p` on a read-only file system reports ENOENT
 * for the missing part, while the nearest existing ancestor says EROFS or EACCES.
 */
function whyNotWritable(dir: string): unknown {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return undefined;
  } catch (error) {
    return error;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * better-sqlite3 behind Kysely, with prepared statements kept (Kysely prepares every query anew; the
 * writer's statements repeat every flush).
 */
function cachingDatabase(raw: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text);
      if (stmt !== undefined) {
        cache.delete(text);
        cache.set(text, stmt);
        return stmt;
      }
      stmt = raw.prepare(text);
      cache.set(text, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}
