/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import type { Kysely } from 'kysely';
import type { Incident, IncidentQuery, Page, Status } from '../types.js';
import type { Database } from './schema.js';

const DEFAULT_STATUSES: readonly Status[] = ['down', 'degraded'];

/** `"<startedAt>:<id>"` of the last item of a page. */
function parseCursor(cursor: string): [number, number] {
  const m = /^(-?\d+):(\d+)$/.exec(cursor);
  if (m === null)
    throw new RangeError(`incidents: bad cursor "${cursor}"; pass the \`next\` of a page`);
  return [Number(m[1]), Number(m[2])];
}

/** Status periods, newest first, filtered and paged by a (started_at, id) cursor. */
export async function incidents(
  db: Kysely<Database>,
  query: IncidentQuery,
): Promise<Page<Incident>> {
  const limit = query.limit ?? 50;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 500))
    throw new RangeError(`incidents: limit must be an integer in 1…500, got ${limit}`);
  const statuses = query.statuses ?? DEFAULT_STATUSES;
  if (statuses.length === 0) return { items: [], next: null };
  let q = db
    .selectFrom('incidents as i')
    .innerJoin('monitors as m', 'm.id', 'i.monitor_id')
    .select([
      'i.id',
      'm.key',
      'i.from_status',
      'i.to_status',
      'i.cause',
      'i.reason',
      'i.started_at',
      'i.ended_at',
      'i.last_seen_at',
    ])
    .where('i.to_status', 'in', [...statuses]);
  if (query.monitorId !== undefined) q = q.where('m.key', '=', query.monitorId);
  const { from, to } = query;
  if (to !== undefined) q = q.where('i.started_at', '<', to);
  if (from !== undefined)
    q = q.where((eb) => eb.or([eb('i.ended_at', 'is', null), eb('i.ended_at', '>', from)]));
  if (query.cursor !== undefined && query.cursor !== null) {
    const [at, id] = parseCursor(query.cursor);
    q = q.where((eb) =>
      eb.or([
        eb('i.started_at', '<', at),
        eb.and([eb('i.started_at', '=', at), eb('i.id', '<', id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('i.started_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit + 1)
    .execute();
  const items: Incident[] = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    monitorId: r.key,
    from: r.from_status as Status,
    to: r.to_status as Status,
    cause: r.cause as Incident['cause'],
    reason: r.reason,
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
  }));
  const last = items.at(-1);
  return {
    items,
    next: rows.length > limit && last !== undefined ? `${last.startedAt}:${last.id}` : null,
  };
}
