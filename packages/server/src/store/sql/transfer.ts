/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql } from 'kysely';
import type { Row, TableTransfer } from '../transfer-types.js';
import type { BulkInsert, SqlDialect } from './dialect.js';
import type { Database } from './schema.js';

/** Each copied table and its key, in copy order. */
const tables: Readonly<Record<string, readonly string[]>> = {
  monitors: ['id'],
  messages: ['id'],
  results: ['monitor_id', 'ts'],
  rollup_minute: ['monitor_id', 'start'],
  rollup_hour: ['monitor_id', 'start'],
  rollup_day: ['monitor_id', 'start'],
  rollup_quarter: ['monitor_id', 'start'],
  incidents: ['id'],
  monitor_state: ['monitor_id'],
  outbox: ['id'],
  delivery_log: ['id'],
  users: ['username'],
  sessions: ['id_hash'],
  api_tokens: ['id'],
};

const withIds = ['monitors', 'messages', 'incidents', 'outbox', 'delivery_log'];

function keyOf(table: string): readonly string[] {
  const key = tables[table];
  if (key === undefined)
    throw new RangeError(
      `transfer: unknown table "${table}"; tables: ${Object.keys(tables).join(', ')}`,
    );
  return key;
}

/** Row access over a SQL back end. Names come from the fixed list above, never from input. */
export function sqlTransfer(dialect: SqlDialect): TableTransfer {
  const db = dialect.db;
  // One insert per table and column list, so each back end keeps its prepared form.
  const specs = new Map<string, BulkInsert>();
  const upsertOf = (table: string, key: readonly string[], columns: readonly string[]) => {
    const id = `${table}(${columns.join(',')})`;
    let spec = specs.get(id);
    if (spec === undefined) {
      for (const c of columns)
        if (!/^[a-z_][a-z0-9_]*$/.test(c))
          throw new RangeError(`transfer: bad column name "${c}" for ${table}`);
      const update = columns.filter((c) => !key.includes(c));
      spec = {
        table,
        columns,
        onConflict: `on conflict (${key.join(', ')}) ${update.length === 0 ? 'do nothing' : `do update set ${update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`}`,
      };
      specs.set(id, spec);
    }
    return spec;
  };
  return {
    tables: Object.keys(tables),
    async count(table) {
      keyOf(table);
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async read(table, after, limit) {
      const key = keyOf(table);
      const cols = sql.join(key.map((k) => sql.ref(k)));
      const where =
        after === null
          ? sql``
          : key.length === 1
            ? sql`where ${sql.ref(key[0] as string)} > ${after[0]}`
            : sql`where (${cols}) > (${sql.join(after.map((v) => sql`${v}`))})`;
      const r =
        await sql<Row>`select * from ${sql.table(table)} ${where} order by ${cols} limit ${limit}`.execute(
          db,
        );
      const last = r.rows.at(-1);
      return { rows: r.rows, last: last === undefined ? null : key.map((k) => last[k]) };
    },
    async write(table, rows) {
      const key = keyOf(table);
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0] as Row);
      const spec = upsertOf(table, key, columns);
      const values = rows.map((r) => columns.map((c) => toParam(r[c])));
      await dialect.write((trx) => dialect.insertMany(trx, spec, values));
    },
    finish: () => dialect.resetSequences(withIds),
    async getMeta(key) {
      const r = await db
        .selectFrom('vigil_meta')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return r?.value;
    },
    async setMeta(key, value) {
      if (value === null) {
        await db.deleteFrom('vigil_meta').where('key', '=', key).execute();
        return;
      }
      await db
        .insertInto('vigil_meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}

/** Byte arrays travel as Buffers (what both drivers bind); everything else as is. */
function toParam(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value;
}

export type { Database };
