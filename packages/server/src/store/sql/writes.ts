import type { Kysely } from 'kysely';
import { BUCKETS } from '../model/histogram.js';
import type { RecordedChange } from '../store.js';
import {
  histogramOf,
  latencyCount,
  type Batch,
  type PendingState,
  type RollupAgg,
} from '../writer/batch.js';
import type { BulkInsert, SqlDialect } from './dialect.js';
import { IdCache } from './ids.js';
import { applyChange, observeBulk, observeOne } from './periods.js';
import type { Database, RollupTableName } from './schema.js';

type Db = Kysely<Database>;

/** Writes the writer's batches: one transaction each, every part of a batch or none. */
export class SqlBatchWrite {
  readonly ids = new IdCache();
  readonly #dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  async write(batch: Batch): Promise<RecordedChange[]> {
    try {
      const receipts = await this.#dialect.write((db) => this.#apply(db, batch), {
        // Status changes and outbox rows must survive a power cut; results alone may lose the last second.
        durable: batch.journal.some((j) => j.kind === 'change'),
      });
      this.ids.commit();
      return receipts;
    } catch (error) {
      this.ids.rollback();
      throw this.#dialect.translate(error, 'writing results');
    }
  }

  #chunk(columns: number): number {
    return Math.max(1, Math.floor(this.#dialect.maxParams / columns));
  }

  async #apply(db: Db, batch: Batch): Promise<RecordedChange[]> {
    const keys = new Set<string>();
    for (const r of batch.results) keys.add(r.monitor);
    for (const a of batch.rollups) keys.add(a.monitor);
    for (const j of batch.journal) keys.add(j.kind === 'change' ? j.event.monitorId : j.monitor);
    for (const o of batch.observations) keys.add(o.monitor);
    for (const s of batch.states) keys.add(s.monitor);
    const ids = await this.ids.monitorIds(db, keys, batch.now);
    // `breathe` between the statements: SQLite yields the event loop there when it has held it long.
    const breathe = (): Promise<void> => this.#dialect.breathe();
    await this.#insertResults(db, batch, ids);
    await breathe();
    await this.#upsertRollups(db, batch.rollups, ids);
    await breathe();
    const receipts: RecordedChange[] = [];
    const states = new Map<string, PendingState>();
    for (const s of batch.states) states.set(s.monitor, s);
    for (const item of batch.journal) {
      const id = ids.get(item.kind === 'change' ? item.event.monitorId : item.monitor) as number;
      await breathe();
      if (item.kind === 'observe') {
        await observeOne(db, item, id);
        continue;
      }
      receipts.push(await applyChange(db, item, id, batch.now));
      const have = states.get(item.event.monitorId);
      if (have === undefined || have.seq < item.seq)
        states.set(item.event.monitorId, {
          monitor: item.event.monitorId,
          seq: item.seq,
          state: item.event.state,
          at: batch.now,
        });
    }
    await breathe();
    const leftover = await observeBulk(db, batch.observations, ids, this.#chunk(4));
    for (const o of leftover) {
      await breathe();
      await observeOne(db, o, ids.get(o.monitor) as number);
    }
    await breathe();
    await this.#upsertStates(db, [...states.values()], ids);
    return receipts;
  }

  async #insertResults(db: Db, batch: Batch, ids: ReadonlyMap<string, number>): Promise<void> {
    if (batch.results.length === 0) return;
    const messages = await this.ids.messageIds(
      db,
      batch.results
        .filter((r) => r.message !== '' || r.details !== '')
        .map((r) => [r.message, r.details] as const),
      batch.now,
      this.#chunk(3),
    );
    const rows = batch.results.map((r) => [
      ids.get(r.monitor) as number,
      r.ts,
      r.outcome,
      r.latencyUs,
      r.message === '' && r.details === ''
        ? null
        : (messages.get(`${r.message}\u0000${r.details}`) ?? null),
      r.value,
      r.phases,
    ]);
    await this.#dialect.insertMany(db, resultsInsert, rows);
  }

  async #upsertRollups(
    db: Db,
    rollups: readonly RollupAgg[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    // Rows by statement: one per shape of histogram (see `RollupAgg.bucket`), so a row binds only the
    // histogram columns it adds to.
    const groups = new Map<BulkInsert, (number | null)[][]>();
    const oneShape = this.#dialect.oneStatementBulk;
    for (const a of rollups) {
      const spec = oneShape ? rollupTables[a.tier].full : rollupInsertFor(a);
      const row = [
        ids.get(a.monitor) as number,
        a.start,
        ...a.counts,
        a.latSum,
        a.latMin,
        a.latMax,
      ];
      if (oneShape || a.hist !== null) row.push(...histogramOf(a));
      else if (a.bucket >= 0) row.push(latencyCount(a));
      const rows = groups.get(spec);
      if (rows === undefined) groups.set(spec, [row]);
      else rows.push(row);
    }
    for (const [spec, rows] of groups) {
      await this.#dialect.insertMany(db, spec, rows);
      await this.#dialect.breathe();
    }
    // The board's 15-minute tier, summed from this batch's minute buckets.
    const quarters = new Map<string, number[]>();
    for (const a of rollups) {
      if (a.tier !== 'minute') continue;
      const id = ids.get(a.monitor) as number;
      const start = a.start - (a.start % QUARTER_MS);
      const key = `${id}:${start}`;
      const row = quarters.get(key) ?? [id, start, 0, 0, 0, 0, 0];
      for (let k = 0; k < 4; k++) row[k + 2] = (row[k + 2] as number) + (a.counts[k] ?? 0);
      row[6] = (row[6] as number) + a.latSum;
      quarters.set(key, row);
    }
    if (quarters.size > 0)
      await this.#dialect.insertMany(db, quarterInsert, [...quarters.values()]);
  }

  async #upsertStates(
    db: Db,
    states: readonly PendingState[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (states.length === 0) return;
    const rows = states.map((s) => [
      ids.get(s.monitor) as number,
      s.seq,
      s.state.status,
      s.state.since,
      s.at,
      JSON.stringify(s.state),
    ]);
    await this.#dialect.insertMany(db, statesInsert, rows);
  }
}

const resultsInsert: BulkInsert = {
  table: 'results',
  columns: ['monitor_id', 'ts', 'outcome', 'latency_us', 'message_id', 'value', 'phases'],
  pgTypes: ['integer', 'bigint', 'smallint', 'integer', 'integer', 'double precision', 'bytea'],
  onConflict: 'on conflict (monitor_id, ts) do nothing',
};

const statesInsert: BulkInsert = {
  table: 'monitor_state',
  columns: ['monitor_id', 'seq', 'status', 'since', 'updated_at', 'state'],
  pgTypes: ['integer', 'bigint', 'text', 'bigint', 'bigint', 'text'],
  // An older buffered state never overwrites a newer one.
  onConflict: `on conflict (monitor_id) do update set seq = excluded.seq, status = excluded.status,
    since = excluded.since, updated_at = excluded.updated_at, state = excluded.state
    where monitor_state.seq < excluded.seq`,
};

const rollupColumns = [
  'monitor_id',
  'start',
  'n_ok',
  'n_fail',
  'n_degraded',
  'n_pending',
  'lat_sum',
  'lat_min',
  'lat_max',
];
const histogramColumns = Array.from({ length: BUCKETS }, (_, k) => `h${k}`);

/** The upsert of a rollup tier's rows naming `hist`: adds the new bucket's counts to the stored row. */
function rollupInsert(table: RollupTableName, hist: readonly string[]): BulkInsert {
  const columns = [...rollupColumns, ...hist];
  const add = (c: string) => `"${c}" = "${table}"."${c}" + excluded."${c}"`;
  const pick = (c: string, op: '<' | '>') =>
    `"${c}" = case when "${table}"."${c}" is null or excluded."${c}" ${op} "${table}"."${c}" then coalesce(excluded."${c}", "${table}"."${c}") else "${table}"."${c}" end`;
  const sums = columns.filter((c) => !['monitor_id', 'start', 'lat_min', 'lat_max'].includes(c));
  return {
    table,
    columns,
    pgTypes: columns.map((c) => (c === 'start' || c === 'lat_sum' ? 'bigint' : 'integer')),
    onConflict: `on conflict (monitor_id, start) do update set ${[...sums.map(add), pick('lat_min', '<'), pick('lat_max', '>')].join(', ')}`,
  };
}

/** A tier's upserts: every histogram column, none, or the one column of bucket k. */
interface RollupInserts {
  readonly full: BulkInsert;
  readonly none: BulkInsert;
  readonly bucket: readonly BulkInsert[];
}

function rollupInserts(table: RollupTableName): RollupInserts {
  return {
    full: rollupInsert(table, histogramColumns),
    none: rollupInsert(table, []),
    bucket: histogramColumns.map((c) => rollupInsert(table, [c])),
  };
}

const rollupTables: Record<RollupAgg['tier'], RollupInserts> = {
  minute: rollupInserts('rollup_minute'),
  hour: rollupInserts('rollup_hour'),
  day: rollupInserts('rollup_day'),
};

function rollupInsertFor(a: RollupAgg): BulkInsert {
  const inserts = rollupTables[a.tier];
  if (a.hist !== null) return inserts.full;
  return a.bucket < 0 ? inserts.none : (inserts.bucket[a.bucket] as BulkInsert);
}

/** Width of the board's narrow tier, ms. */
export const QUARTER_MS = 900_000;

const quarterInsert: BulkInsert = {
  table: 'rollup_quarter',
  columns: ['monitor_id', 'start', 'n_ok', 'n_fail', 'n_degraded', 'n_pending', 'lat_sum'],
  pgTypes: ['integer', 'bigint', 'integer', 'integer', 'integer', 'integer', 'bigint'],
  onConflict: `on conflict (monitor_id, start) do update set ${['n_ok', 'n_fail', 'n_degraded', 'n_pending', 'lat_sum'].map((c) => `"${c}" = "rollup_quarter"."${c}" + excluded."${c}"`).join(', ')}`,
};
