/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql, type Kysely } from 'kysely';
import { formatDuration } from '../../config/index.js';
import { checkedStatuses, truncate } from '../model/codec.js';
import type { ChangeItem, Observation } from '../writer/batch.js';
import type { RecordedChange } from '../store.js';
import type { Status } from '../types.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

async function openPeriod(db: Db, monitorId: number) {
  return db
    .selectFrom('incidents')
    .select(['id', 'to_status', 'started_at', 'last_seen_at'])
    .where('monitor_id', '=', monitorId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Folds observations into the open periods in one statement: each open period whose last result is
 * within the gap limit of the new results gets its `last_seen_at` moved forward. Returns the monitors
 * left over (no open period, or a gap), for {@link observeOne}.
 */
export async function observeBulk(
  db: Db,
  observations: readonly Observation[],
  ids: ReadonlyMap<string, number>,
  chunk: number,
): Promise<Observation[]> {
  const leftover: Observation[] = [];
  for (let i = 0; i < observations.length; i += chunk) {
    const part = observations.slice(i, i + chunk);
    const values = sql.join(
      part.map(
        (o) =>
          sql`(cast(${ids.get(o.monitor)} as integer), cast(${o.first} as bigint), cast(${o.last} as bigint), cast(${o.gapMs} as bigint))`,
      ),
    );
    const updated = await sql<{ monitor_id: number }>`
      with v(m, first_at, last_at, gap) as (values ${values})
      update incidents set last_seen_at = case
          when incidents.last_seen_at is null or incidents.last_seen_at < v.last_at then v.last_at
          else incidents.last_seen_at end
      from v
      where incidents.monitor_id = v.m and incidents.ended_at is null
        and v.first_at - coalesce(incidents.last_seen_at, incidents.started_at) <= v.gap
      returning monitor_id`.execute(db);
    const done = new Set(updated.rows.map((r) => Number(r.monitor_id)));
    for (const o of part) if (!done.has(ids.get(o.monitor) ?? -1)) leftover.push(o);
  }
  return leftover;
}

/**
 * Folds one observation into the monitor's periods: extends the open period, or — when there is none,
 * or the results resume after a gap — closes it at its last result and opens a new `observed` period.
 */
export async function observeOne(db: Db, o: Observation, monitorId: number): Promise<void> {
  const open = await openPeriod(db, monitorId);
  let from: Status = o.status;
  let reason = o.reason;
  if (open !== undefined) {
    const seen = open.last_seen_at ?? open.started_at;
    if (o.first - seen <= o.gapMs) {
      if (o.last > seen)
        await db
          .updateTable('incidents')
          .set({ last_seen_at: o.last })
          .where('id', '=', open.id)
          .execute();
      return;
    }
    await db
      .updateTable('incidents')
      .set({ ended_at: Math.max(open.started_at, seen) })
      .where('id', '=', open.id)
      .execute();
    from = open.to_status as Status;
    reason = `results resumed after ${formatDuration(Math.round(o.first - seen))} without any; ${o.reason}`;
  } else {
    const last = await db
      .selectFrom('incidents')
      .select('to_status')
      .where('monitor_id', '=', monitorId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last !== undefined) from = last.to_status as Status;
  }
  await db
    .insertInto('incidents')
    .values({
      monitor_id: monitorId,
      from_status: from,
      to_status: o.status,
      cause: 'observed',
      reason: truncate(reason),
      started_at: o.first,
      ended_at: null,
      last_seen_at: o.last,
    })
    .execute();
}

/**
 * Writes a status change: ends the open period at the change — or, when the monitor had been silent
 * past its gap limit before it, at its last result — opens the next period, and writes the outbox rows.
 */
export async function applyChange(
  db: Db,
  item: ChangeItem,
  monitorId: number,
  now: number,
): Promise<RecordedChange> {
  const { change, cause } = item.event;
  const open = await openPeriod(db, monitorId);
  if (open !== undefined) {
    const seen = open.last_seen_at ?? open.started_at;
    let end = change.at;
    if (checkedStatuses.includes(open.to_status as Status) && change.at - seen > item.gapMs)
      end = seen;
    await db
      .updateTable('incidents')
      .set({ ended_at: Math.max(open.started_at, end) })
      .where('id', '=', open.id)
      .execute();
  }
  const incident = await db
    .insertInto('incidents')
    .values({
      monitor_id: monitorId,
      from_status: change.from,
      to_status: change.to,
      cause,
      reason: truncate(change.reason),
      started_at: change.at,
      ended_at: null,
      last_seen_at: cause === 'check' ? change.at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outboxIds: number[] = [];
  for (const intent of item.intents) {
    const row = await db
      .insertInto('outbox')
      .values({
        monitor_id: monitorId,
        notifier_id: intent.notifierId,
        event_kind: intent.eventKind,
        payload: JSON.stringify(intent.payload ?? null),
        dedup_key: intent.dedupKey,
        status: 'pending',
        attempts: 0,
        next_attempt_at: intent.notBefore ?? change.at,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    outboxIds.push(row.id);
  }
  return { incidentId: incident.id, outboxIds };
}
