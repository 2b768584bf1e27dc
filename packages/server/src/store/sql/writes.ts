import { sql, type Kysely } from 'kysely';
import { BUCKETS } from '../model/histogram.js';
import type { RecordedChange } from '../store.js';
import type { Batch, PendingState, RollupAgg } from '../writer/batch.js';
import type { SqlDialect } from './dialect.js';
import { IdCache } from './ids.js';
import { applyChange, observeBulk, observeOne } from './periods.js';
import type { Database, RollupTableName } from './schema.js';

type Db = Kysely<Database>;

const rollupTable: Record<RollupAgg['tier'], RollupTableName> = {
  minute: 'rollup_minute',
  hour: 'rollup_hour',
  day: 'rollup_day',
};

/** Writes the writer's batches: one transaction each, every part of a batch or none. */
export class SqlBatchWrite {
  readonly ids = new IdCache();
  readonly #dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  async write(batch: Batch): Promise<RecordedChange[]> {
    try {
      const receipts = await this.#dialect.write((db) => this.#apply(db, batch));
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
    await this.#insertResults(db, batch, ids);
    await this.#upsertRollups(db, batch.rollups, ids);
    const receipts: RecordedChange[] = [];
    const states = new Map<string, PendingState>();
    for (const s of batch.states) states.set(s.monitor, s);
    for (const item of batch.journal) {
      const id = ids.get(item.kind === 'change' ? item.event.monitorId : item.monitor) as number;
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
    const leftover = await observeBulk(db, batch.observations, ids, this.#chunk(4));
    for (const o of leftover) await observeOne(db, o, ids.get(o.monitor) as number);
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
    const rows = batch.results.map((r) => ({
      monitor_id: ids.get(r.monitor) as number,
      ts: r.ts,
      outcome: r.outcome,
      latency_us: r.latencyUs,
      message_id:
        r.message === '' && r.details === ''
          ? null
          : (messages.get(`${r.message}\u0000${r.details}`) ?? null),
      value: r.value,
      phases: r.phases,
    }));
    const chunk = this.#chunk(7);
    for (let i = 0; i < rows.length; i += chunk) {
      await db
        .insertInto('results')
        .values(rows.slice(i, i + chunk))
        .onConflict((oc) => oc.columns(['monitor_id', 'ts']).doNothing())
        .execute();
    }
  }

  async #upsertRollups(
    db: Db,
    rollups: readonly RollupAgg[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    const chunk = this.#chunk(9 + BUCKETS);
    for (const tier of ['minute', 'hour', 'day'] as const) {
      const table = rollupTable[tier];
      const rows = rollups.filter((a) => a.tier === tier).map((a) => rollupRow(a, ids));
      for (let i = 0; i < rows.length; i += chunk) {
        await db
          .insertInto(table)
          .values(rows.slice(i, i + chunk) as never)
          .onConflict((oc) => oc.columns(['monitor_id', 'start']).doUpdateSet(mergeRollup(table)))
          .execute();
      }
    }
  }

  async #upsertStates(
    db: Db,
    states: readonly PendingState[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (states.length === 0) return;
    const rows = states.map((s) => ({
      monitor_id: ids.get(s.monitor) as number,
      seq: s.seq,
      status: s.state.status,
      since: s.state.since,
      updated_at: s.at,
      state: JSON.stringify(s.state),
    }));
    const chunk = this.#chunk(6);
    for (let i = 0; i < rows.length; i += chunk) {
      await db
        .insertInto('monitor_state')
        .values(rows.slice(i, i + chunk))
        .onConflict((oc) =>
          oc
            .column('monitor_id')
            .doUpdateSet((eb) => ({
              seq: eb.ref('excluded.seq'),
              status: eb.ref('excluded.status'),
              since: eb.ref('excluded.since'),
              updated_at: eb.ref('excluded.updated_at'),
              state: eb.ref('excluded.state'),
            }))
            .where('monitor_state.seq', '<', (eb) => eb.ref('excluded.seq')),
        )
        .execute();
    }
  }
}

function rollupRow(a: RollupAgg, ids: ReadonlyMap<string, number>): Record<string, number | null> {
  const row: Record<string, number | null> = {
    monitor_id: ids.get(a.monitor) as number,
    start: a.start,
    n_ok: a.counts[0],
    n_fail: a.counts[1],
    n_degraded: a.counts[2],
    n_pending: a.counts[3],
    lat_sum: a.latSum,
    lat_min: a.latMin,
    lat_max: a.latMax,
  };
  for (let k = 0; k < BUCKETS; k++) row[`h${k}`] = a.hist[k] ?? 0;
  return row;
}

/** `SET` of an upsert that adds the new bucket's counts to the stored one. */
function mergeRollup(table: RollupTableName) {
  const t = sql.table(table);
  const add = (c: string) => sql`${t}.${sql.ref(c)} + excluded.${sql.ref(c)}`;
  const set: Record<string, unknown> = {
    n_ok: add('n_ok'),
    n_fail: add('n_fail'),
    n_degraded: add('n_degraded'),
    n_pending: add('n_pending'),
    lat_sum: add('lat_sum'),
    lat_min: sql`case when ${t}.lat_min is null then excluded.lat_min when excluded.lat_min is null then ${t}.lat_min when excluded.lat_min < ${t}.lat_min then excluded.lat_min else ${t}.lat_min end`,
    lat_max: sql`case when ${t}.lat_max is null then excluded.lat_max when excluded.lat_max is null then ${t}.lat_max when excluded.lat_max > ${t}.lat_max then excluded.lat_max else ${t}.lat_max end`,
  };
  for (let k = 0; k < BUCKETS; k++) set[`h${k}`] = add(`h${k}`);
  return set as never;
}
