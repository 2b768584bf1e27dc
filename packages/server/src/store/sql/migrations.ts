import { sql, type Kysely } from 'kysely';
import { BUCKETS } from '../model/histogram.js';
import type { DdlTypes } from './dialect.js';
import type { RollupTableName } from './schema.js';

/** One schema step. Versions are consecutive from 1; a released migration is never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>, ddl: DdlTypes): Promise<void>;
}

async function createRollup(db: Kysely<unknown>, ddl: DdlTypes, name: RollupTableName) {
  let table = db.schema
    .createTable(name)
    .addColumn('monitor_id', 'integer', (c) => c.notNull())
    .addColumn('start', 'bigint', (c) => c.notNull())
    .addColumn('n_ok', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n_fail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n_degraded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lat_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lat_min', 'integer')
    .addColumn('lat_max', 'integer');
  for (let k = 0; k < BUCKETS; k++)
    table = table.addColumn(`h${k}`, 'integer', (c) => c.notNull().defaultTo(0));
  table = table.addPrimaryKeyConstraint(`${name}_pk`, ['monitor_id', 'start'] as never);
  await ddl.clustered(table).execute();
}

const initial: Migration = {
  version: 1,
  name: 'monitors, results, rollups, incidents, state, outbox',
  async up(db, ddl) {
    await db.schema
      .createTable('vigil_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await ddl
      .idColumn(db.schema.createTable('monitors'), 'id')
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('interval_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .execute();
    await ddl
      .idColumn(db.schema.createTable('messages'), 'id')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('last_seen', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('messages_text_details', ['text', 'details'] as never)
      .execute();
    await db.schema.createIndex('messages_last_seen').on('messages').column('last_seen').execute();
    // Raw results: clustered on (monitor, time) so a monitor's window is one range read.
    await ddl
      .clustered(
        db.schema
          .createTable('results')
          .addColumn('monitor_id', 'integer', (c) => c.notNull())
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('outcome', 'smallint', (c) => c.notNull())
          .addColumn('latency_us', 'integer', (c) => c.notNull())
          .addColumn('message_id', 'integer')
          .addColumn('value', 'double precision')
          .addColumn('phases', ddl.blob)
          .addPrimaryKeyConstraint('results_pk', ['monitor_id', 'ts'] as never),
      )
      .execute();
    for (const name of ['rollup_minute', 'rollup_hour', 'rollup_day'] as const)
      await createRollup(db, ddl, name);
    await ddl
      .idColumn(db.schema.createTable('incidents'), 'id')
      .addColumn('monitor_id', 'integer', (c) => c.notNull())
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('last_seen_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('incidents_monitor_start')
      .on('incidents')
      .columns(['monitor_id', 'started_at'])
      .execute();
    await db.schema.createIndex('incidents_start').on('incidents').column('started_at').execute();
    // At most one open period per monitor.
    await db.schema
      .createIndex('incidents_open')
      .on('incidents')
      .column('monitor_id')
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute();
    await db.schema
      .createTable('monitor_state')
      .addColumn('monitor_id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .execute();
    await ddl
      .idColumn(db.schema.createTable('outbox'), 'id')
      .addColumn('monitor_id', 'integer', (c) => c.notNull())
      .addColumn('notifier_id', 'text', (c) => c.notNull())
      .addColumn('event_kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema.createIndex('outbox_dedup').on('outbox').column('dedup_key').execute();
    await ddl
      .idColumn(db.schema.createTable('delivery_log'), 'id')
      .addColumn('outbox_id', 'bigint', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'double precision')
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createIndex('delivery_log_outbox')
      .on('delivery_log')
      .columns(['outbox_id', 'id'])
      .execute();
  },
};

const auth: Migration = {
  version: 2,
  name: 'users, sessions, api_tokens',
  async up(db) {
    await db.schema
      .createTable('users')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // A session is found by the SHA-256 of its id; the id itself is never stored.
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('csrf', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_username').on('sessions').column('username').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    // A token is found by the SHA-256 of its secret; the secret itself is never stored.
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
  },
};

const QUARTER_MS = 900_000;

const quarter: Migration = {
  version: 3,
  name: 'rollup_quarter: narrow 15-minute buckets for board sparklines',
  // Board sparklines with more points than hours read minute rollups: 1,440 wide rows per monitor and
  // day. This narrow tier (counts and latency sum, no histogram) holds 96. Filled from the minute tier.
  async up(db, ddl) {
    await ddl
      .clustered(
        db.schema
          .createTable('rollup_quarter')
          .addColumn('monitor_id', 'integer', (c) => c.notNull())
          .addColumn('start', 'bigint', (c) => c.notNull())
          .addColumn('n_ok', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('n_fail', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('n_degraded', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('n_pending', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('lat_sum', 'bigint', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('rollup_quarter_pk', ['monitor_id', 'start'] as never),
      )
      .execute();
    await sql`insert into rollup_quarter (monitor_id, start, n_ok, n_fail, n_degraded, n_pending, lat_sum)
      select monitor_id, start - start % ${sql.lit(QUARTER_MS)}, sum(n_ok), sum(n_fail), sum(n_degraded),
        sum(n_pending), sum(lat_sum)
      from rollup_minute group by monitor_id, start - start % ${sql.lit(QUARTER_MS)}`.execute(db);
  },
};

/** Every migration, in order. The last one's version is the schema version this build writes. */
export const migrations: readonly Migration[] = [initial, auth, quarter];

export const latestVersion = migrations.at(-1)?.version ?? 0;
