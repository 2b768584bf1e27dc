/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql, type Kysely } from 'kysely';
import { decodeDetails, decodeOutcome, decodePhases, decodeState } from '../model/codec.js';
import { exactQuantile, quantileFromHistogram } from '../model/histogram.js';
import type { Retention } from '../model/retention.js';
import { bucketStart, pickTier, tierMs, type Tier } from '../model/tiers.js';
import { uptimeOf, type PeriodRow, type TimeRange, type Uptime } from '../model/uptime.js';
import type { HistoryOptions, StoreKind } from '../store.js';
import type { History, LatencySummary, LatestStatus, Status, StoredResult } from '../types.js';
import {
  bucketOfRow,
  histogramColumns,
  histogramJson,
  rollupTableOf,
  statsOf,
} from './rollup-read.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export function checkRange(range: TimeRange, where: string): void {
  if (!(Number.isFinite(range.from) && Number.isFinite(range.to) && range.to > range.from))
    throw new RangeError(
      `${where}: range.to must be after range.from (got ${range.from} → ${range.to})`,
    );
}

export async function monitorIdOf(db: Db, key: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('monitors')
    .select('id')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

export async function latest(db: Db, includeRemoved: boolean): Promise<LatestStatus[]> {
  let q = db
    .selectFrom('monitors as m')
    .leftJoin('monitor_state as s', 's.monitor_id', 'm.id')
    .select([
      'm.key',
      'm.name',
      'm.group_id',
      'm.kind',
      'm.interval_ms',
      'm.created_at',
      'm.removed_at',
      's.state',
      's.updated_at',
    ])
    .orderBy('m.key');
  if (!includeRemoved) q = q.where('m.removed_at', 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({
    monitor: {
      id: r.key,
      name: r.name,
      group: r.group_id,
      kind: r.kind,
      intervalMs: Number(r.interval_ms),
      createdAt: Number(r.created_at),
      removedAt: r.removed_at === null ? null : Number(r.removed_at),
    },
    state: r.state === null ? null : (decodeState(r.state) ?? null),
    updatedAt: r.updated_at === null ? null : Number(r.updated_at),
  }));
}

export async function history(
  db: Db,
  kind: StoreKind,
  monitorId: string,
  range: TimeRange,
  now: number,
  retention: Retention,
  options: HistoryOptions,
): Promise<History> {
  checkRange(range, 'history');
  const tier: Tier = options.tier ?? pickTier(range.from, range.to, now, retention);
  const id = await monitorIdOf(db, monitorId);
  if (tier === 'raw') {
    const results = id === undefined ? [] : await rawResults(db, id, range);
    return { tier, from: range.from, to: range.to, results };
  }
  const rows =
    id === undefined
      ? []
      : await db
          .selectFrom(rollupTableOf[tier])
          .select([
            'start',
            'n_ok',
            'n_fail',
            'n_degraded',
            'n_pending',
            'lat_sum',
            'lat_min',
            'lat_max',
            histogramJson(kind).as('h'),
          ])
          .where('monitor_id', '=', id)
          .where('start', '>=', bucketStart(range.from, tier))
          .where('start', '<', range.to)
          .orderBy('start')
          .execute();
  return {
    tier,
    from: range.from,
    to: range.to,
    stepMs: tierMs[tier],
    buckets: rows.map((r) => bucketOfRow(r as unknown as Record<string, unknown>)),
  };
}

async function rawResults(db: Db, id: number, range: TimeRange): Promise<StoredResult[]> {
  const rows = await db
    .selectFrom('results as r')
    .leftJoin('messages as g', 'g.id', 'r.message_id')
    .select(['r.ts', 'r.outcome', 'r.latency_us', 'r.value', 'r.phases', 'g.text', 'g.details'])
    .where('r.monitor_id', '=', id)
    .where('r.ts', '>=', range.from)
    .where('r.ts', '<', range.to)
    .orderBy('r.ts')
    .execute();
  return rows.map((r) => {
    const details = decodeDetails(r.details ?? '');
    const phases = decodePhases(r.phases === null ? null : Uint8Array.from(r.phases));
    return {
      at: Number(r.ts),
      outcome: decodeOutcome(r.outcome),
      latencyMs: r.latency_us / 1000,
      message: r.text ?? '',
      ...(details === undefined ? {} : { details }),
      ...(r.value === null ? {} : { value: r.value }),
      ...(phases === undefined ? {} : { phases }),
    };
  });
}

export async function uptime(
  db: Db,
  monitorId: string,
  ranges: readonly TimeRange[],
  now: number,
): Promise<Uptime[]> {
  for (const r of ranges) checkRange(r, 'uptime');
  if (ranges.length === 0) return [];
  const id = await monitorIdOf(db, monitorId);
  const lo = Math.min(...ranges.map((r) => r.from));
  const hi = Math.max(...ranges.map((r) => r.to));
  let rows: PeriodRow[] = [];
  if (id !== undefined) {
    // From the period in force at `lo` (the latest one started by then) to the last one started before `hi`.
    const raw = await db
      .selectFrom('incidents')
      .select(['to_status', 'started_at', 'ended_at', 'last_seen_at'])
      .where('monitor_id', '=', id)
      .where('started_at', '<', hi)
      .where(
        'started_at',
        '>=',
        sql<number>`coalesce((select max(started_at) from incidents where monitor_id = ${id} and started_at <= ${lo}), ${lo})`,
      )
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    rows = raw.map((r) => ({
      status: r.to_status as Status,
      startedAt: Number(r.started_at),
      endedAt: r.ended_at === null ? null : Number(r.ended_at),
      lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    }));
  }
  return ranges.map((r) => uptimeOf(rows, r, now));
}

export async function latency(
  db: Db,
  monitorId: string,
  range: TimeRange,
  quantiles: readonly number[],
  now: number,
  retention: Retention,
): Promise<LatencySummary> {
  checkRange(range, 'latency');
  for (const q of quantiles)
    if (!(q > 0 && q <= 1)) throw new RangeError(`latency: quantiles must be in (0, 1], got ${q}`);
  const tier = pickTier(range.from, range.to, now, retention);
  const id = await monitorIdOf(db, monitorId);
  if (tier === 'raw') {
    const rows =
      id === undefined
        ? []
        : await db
            .selectFrom('results')
            .select('latency_us')
            .where('monitor_id', '=', id)
            .where('ts', '>=', range.from)
            .where('ts', '<', range.to)
            .where('outcome', 'in', [0, 2])
            .execute();
    const us = rows.map((r) => r.latency_us);
    const sum = us.reduce((a, b) => a + b, 0);
    return {
      tier,
      count: us.length,
      minMs: us.length === 0 ? null : Math.min(...us) / 1000,
      maxMs: us.length === 0 ? null : Math.max(...us) / 1000,
      avgMs: us.length === 0 ? null : sum / us.length / 1000,
      quantiles: quantiles.map((q) => {
        const v = exactQuantile(us, q);
        return { q, ms: v === null ? null : v / 1000 };
      }),
    };
  }
  const row =
    id === undefined
      ? undefined
      : ((await db
          .selectFrom(rollupTableOf[tier])
          .select([
            sql<number>`sum(lat_sum)`.as('lat_sum'),
            sql<number>`min(lat_min)`.as('lat_min'),
            sql<number>`max(lat_max)`.as('lat_max'),
            ...histogramColumns.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)),
          ])
          .where('monitor_id', '=', id)
          .where('start', '>=', bucketStart(range.from, tier))
          .where('start', '<', range.to)
          .executeTakeFirst()) as Record<string, unknown> | undefined);
  const stats = statsOf(row ?? {});
  return {
    tier,
    count: stats.count,
    minMs: stats.count === 0 || stats.minUs === null ? null : stats.minUs / 1000,
    maxMs: stats.count === 0 || stats.maxUs === null ? null : stats.maxUs / 1000,
    avgMs: stats.count === 0 ? null : stats.sumUs / stats.count / 1000,
    quantiles: quantiles.map((q) => {
      const v = quantileFromHistogram(stats, q);
      return { q, ms: v === null ? null : v / 1000 };
    }),
  };
}
