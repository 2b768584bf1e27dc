import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Retention } from '../model/retention.js';
import type { PruneReport } from '../types.js';
import type { SqlDialect } from './dialect.js';
import type { Database } from './schema.js';

/** Rows deleted per statement: small, so a writer waits at most one short delete. */
export const PRUNE_BATCH = 2000;

type Db = Kysely<Database>;

/**
 * The monitors with a row in `table` older than `before`: one statement (an index seek per monitor on
 * the table's `(monitor_id, …)` key), so that a pass with little to delete costs a few queries rather
 * than a transaction per monitor and table.
 */
async function holdingOlder(
  db: Db,
  table: 'results' | 'rollup_minute' | 'rollup_quarter' | 'rollup_hour' | 'rollup_day',
  column: 'ts' | 'start',
  before: number,
): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select m.id from monitors m
    where exists (select 1 from ${sql.table(table)} t
                  where t.monitor_id = m.id and t.${sql.ref(column)} < ${before})
    order by m.id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Deletes, batch by batch, what is older than each tier's retention. Each batch is its own short
 * transaction, and the event loop runs between batches (a zero-delay yield, not a timer: SQLite work
 * is synchronous, and this lets queued flushes and I/O go first), so pruning never stalls writes.
 */
export async function prune(
  dialect: SqlDialect,
  retention: Retention,
  now: number,
): Promise<PruneReport> {
  const report = {
    raw: 0,
    minute: 0,
    quarter: 0,
    hour: 0,
    day: 0,
    incidents: 0,
    outbox: 0,
    messages: 0,
    reclaimedBytes: 0,
  };
  const loop = async (step: (db: Db) => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await dialect.write(step);
      total += n;
      await yieldToEventLoop();
      if (n < PRUNE_BATCH) return total;
    }
  };
  const cutoff = (ms: number) => now - ms;
  if (Number.isFinite(retention.raw)) {
    const before = cutoff(retention.raw);
    for (const id of await holdingOlder(dialect.db, 'results', 'ts', before))
      report.raw += await loop(async (db) =>
        count(
          await db
            .deleteFrom('results')
            .where('monitor_id', '=', id)
            .where('ts', 'in', (eb) =>
              eb
                .selectFrom('results')
                .select('ts')
                .where('monitor_id', '=', id)
                .where('ts', '<', before)
                .orderBy('ts')
                .limit(PRUNE_BATCH),
            )
            .executeTakeFirst(),
        ),
      );
    // Messages no result within retention uses any more (last_seen is refreshed hourly; a day of slack).
    const stale = before - 86_400_000;
    report.messages += await loop(async (db) =>
      count(
        await db
          .deleteFrom('messages')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('messages')
              .select('id')
              .where('last_seen', '<', stale)
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst(),
      ),
    );
  }
  // The board's quarter-hour buckets are kept as long as the minute rollups they summarise.
  for (const [counted, tier, table] of [
    ['minute', 'minute', 'rollup_minute'],
    ['quarter', 'minute', 'rollup_quarter'],
    ['hour', 'hour', 'rollup_hour'],
    ['day', 'day', 'rollup_day'],
  ] as const) {
    if (!Number.isFinite(retention[tier])) continue;
    const before = cutoff(retention[tier]);
    for (const id of await holdingOlder(dialect.db, table, 'start', before))
      report[counted] += await loop(async (db) =>
        count(
          await db
            .deleteFrom(table)
            .where('monitor_id', '=', id)
            .where('start', 'in', (eb) =>
              eb
                .selectFrom(table)
                .select('start')
                .where('monitor_id', '=', id)
                .where('start', '<', before)
                .orderBy('start')
                .limit(PRUNE_BATCH),
            )
            .executeTakeFirst(),
        ),
      );
  }
  if (Number.isFinite(retention.incidents)) {
    const before = cutoff(retention.incidents);
    report.incidents += await loop(async (db) =>
      count(
        await db
          .deleteFrom('incidents')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('incidents')
              .select('id')
              .where('ended_at', 'is not', null)
              .where('ended_at', '<', before)
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst(),
      ),
    );
  }
  if (Number.isFinite(retention.outbox)) {
    const before = cutoff(retention.outbox);
    report.outbox += await loop(async (db) =>
      count(
        await db
          .deleteFrom('outbox')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('outbox')
              .select('id')
              .where('status', 'in', ['delivered', 'failed'])
              .where('created_at', '<', before)
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst(),
      ),
    );
    await loop(async (db) =>
      count(
        await db
          .deleteFrom('delivery_log')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('delivery_log')
              .select('id')
              .where('at', '<', before)
              .orderBy('id')
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst(),
      ),
    );
  }
  report.reclaimedBytes = await dialect.reclaim();
  return report;
}

function count(result: { numDeletedRows: bigint }): number {
  return Number(result.numDeletedRows);
}
