import {
  exponential,
  isVigilError,
  retry,
  systemRandom,
  type BackoffPolicy,
  type Random,
  type RetryEvent,
} from '@vigil/resilience';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../store.js';
import type { BulkInsert, DdlTypes, SqlDialect } from '../sql/dialect.js';
import { migrate } from '../sql/migrate.js';
import type { Database } from '../sql/schema.js';
import { SqlStore, type SqlStoreOptions } from '../sql/sql-store.js';
import { describePostgresError } from './errors.js';

export { describePostgresError } from './errors.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:port/database`; `?options=-c search_path=…` selects a schema. */
  readonly url: string;
  /** Connections in the pool. Default 4. */
  readonly poolSize?: number;
  /** Delays between attempts to reach the server at start. Default exponential 1 s → 30 s, full jitter, no end. */
  readonly connectRetry?: BackoffPolicy;
  readonly random?: Random;
  /** Stops retrying (the open rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Told before each retry: the error names the server and says why. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Same lock id for every Vigil: migrations of one database run one at a time. ("vigil" in ASCII.) */
const MIGRATION_LOCK = 0x76_69_67_69_6c;

const ddl: DdlTypes = {
  idColumn: (table, name) =>
    table.addColumn(name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  blob: 'bytea',
  clustered: (table) => table,
};

/** The URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return `${u.protocol}//${u.username === '' ? '' : `${u.username}${u.password === '' ? '' : ':***'}@`}${u.host}${u.pathname}`;
  } catch {
    return 'postgres (unparsable URL)';
  }
}

/** 64-bit integers and numerics (counts, sums, ms timestamps) as JS numbers: all stay below 2^53. */
const builtIn = pg.types.getTypeParser as (oid: number, format?: string) => unknown;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 || oid === 1700
      ? (v: string) => Number(v)
      : builtIn(oid, format)) as unknown as typeof pg.types.getTypeParser,
};

/**
 * Opens the PostgreSQL store: reaches the server — retrying on a backoff while it is unreachable or
 * starting up, each failure told to `onRetry`, until `signal` aborts — then runs the migrations under an
 * advisory lock. Errors that waiting will not fix (bad password, no such database, a newer schema)
 * reject at once.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const dialect = createPostgresDialect(options);
  try {
    await retry(
      async () => {
        try {
          await migrate(dialect, options.clock.now());
        } catch (error) {
          throw dialect.translate(error, 'connecting and migrating');
        }
      },
      {
        policy:
          options.connectRetry ?? exponential({ initialMs: 1000, maxMs: 30_000, jitter: 'full' }),
        retryOn: (error) => isVigilError(error) && error.retryable,
        clock: options.clock,
        random: options.random ?? systemRandom,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
      },
    );
    return await SqlStore.open(dialect, options);
  } catch (error) {
    await dialect.destroy();
    throw error;
  }
}

const unnestSql = new WeakMap<BulkInsert, string>();

/** `insert into t (a, b) select * from unnest($1::int[], $2::text[]) on conflict …`. */
function unnestInsert(spec: BulkInsert, types: readonly string[]): string {
  const arrays = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  return `insert into "${spec.table}" (${spec.columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${arrays}) ${spec.onConflict}`;
}

/** The declared type of each of the spec's columns, from the catalog. */
async function columnTypes(db: Kysely<Database>, spec: BulkInsert): Promise<string[]> {
  const r = await sql<{ column_name: string; data_type: string }>`
    select column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name = ${spec.table}`.execute(db);
  const types = new Map(r.rows.map((c) => [c.column_name, c.data_type]));
  return spec.columns.map((c) => {
    const type = types.get(c);
    if (type === undefined) throw new RangeError(`insertMany: no column ${spec.table}.${c}`);
    return type;
  });
}

/**
 * Column `c` of `rows` as a PostgreSQL array literal: numbers as they are, text quoted, blobs as hex —
 * several times faster than pg's generic array encoding, which escapes every element.
 */
function arrayLiteral(rows: readonly (readonly unknown[])[], c: number): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]?.[c];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'number') parts[i] = String(v);
    else if (v instanceof Uint8Array)
      parts[i] = `"\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}"`;
    else if (typeof v === 'string') parts[i] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else throw new TypeError(`insertMany: unsupported value of type ${typeof v} in column ${c}`);
  }
  return `{${parts.join(',')}}`;
}

/** The PostgreSQL {@link SqlDialect} over a pool. */
export function createPostgresDialect(options: PostgresStoreOptions): SqlDialect {
  const location = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 10_000,
    application_name: 'vigil',
    types,
  });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.onError?.(describePostgresError(error, location, 'idle')));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    location,
    db,
    ddl,
    maxParams: 60_000,
    oneStatementBulk: true,
    skipLocked: true,
    withSchemaLock: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
        return fn(trx);
      }),
    write: (fn, options = {}) =>
      db.transaction().execute(async (trx) => {
        // The commit returns before its WAL record is flushed; a later durable commit flushes both.
        if (options.durable === false) await sql`set local synchronous_commit = off`.execute(trx);
        return fn(trx);
      }),
    async insertMany(trx, spec, rows) {
      if (rows.length === 0) return;
      let text = unnestSql.get(spec);
      if (text === undefined) {
        text = unnestInsert(spec, spec.pgTypes ?? (await columnTypes(trx, spec)));
        unnestSql.set(spec, text);
      }
      const arrays = spec.columns.map((_, c) => arrayLiteral(rows, c));
      await trx.executeQuery(CompiledQuery.raw(text, arrays));
    },
    // The pg driver is asynchronous: the loop is never held by a statement.
    breathe: () => Promise.resolve(),
    async resetSequences(tables) {
      for (const t of tables) {
        await sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce((select max(id) from ${sql.table(t)}), 0) + 1, false)`.execute(
          db,
        );
      }
    },
    async sizeBytes() {
      const r = await sql<{ n: number | null }>`
        select sum(pg_total_relation_size(c.oid)) as n from pg_class c
        join pg_namespace s on s.oid = c.relnamespace
        where s.nspname = current_schema() and c.relkind = 'r'`.execute(db);
      return r.rows[0]?.n ?? 0;
    },
    reclaim: () => Promise.resolve(0),
    translate: (error, doing) => describePostgresError(error, location, doing),
    destroy: () => db.destroy(),
  };
}
