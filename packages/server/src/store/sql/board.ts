/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql, type Kysely } from 'kysely';
import type { Retention } from '../model/retention.js';
import { bucketStart, tierMs, type RollupTier } from '../model/tiers.js';
import type { TimeRange } from '../model/uptime.js';
import type { SparkPoint } from '../types.js';
import { checkRange } from './queries.js';
import { rollupTableOf } from './rollup-read.js';
import type { Database } from './schema.js';

/** The coarsest rollup tier no wider than a point and still retained back to `from`. */
export function sparkTier(
  step: number,
  from: number,
  now: number,
  retention: Retention,
): RollupTier {
  for (const tier of ['day', 'hour', 'minute'] as const) {
    if (tierMs[tier] <= step && from >= now - retention[tier]) return tier;
  }
  return from >= now - retention.minute ? 'minute' : 'hour';
}

/**
 * Sparklines of every monitor in the config, in one grouped query over a rollup tier: each monitor's
 * rows are one primary-key range, summed into `points` buckets by SQL.
 */
export async function sparklines(
  db: Kysely<Database>,
  range: TimeRange,
  points: number,
  now: number,
  retention: Retention,
): Promise<Map<string, SparkPoint[]>> {
  checkRange(range, 'sparklines');
  if (!(Number.isInteger(points) && points >= 1 && points <= 1000))
    throw new RangeError(`sparklines: points must be an integer in 1…1000, got ${points}`);
  const step = (range.to - range.from) / points;
  // Whole ms, so the bucket index is an integer division in both back ends.
  const stepInt = Math.max(1, Math.round(step));
  const tier = sparkTier(step, range.from, now, retention);
  const table = rollupTableOf[tier];
  const monitors = await db
    .selectFrom('monitors')
    .select('key')
    .where('removed_at', 'is', null)
    .execute();
  const out = new Map<string, SparkPoint[]>();
  for (const { key } of monitors) {
    out.set(
      key,
      Array.from({ length: points }, (_, i) => ({
        start: Math.round(range.from + i * step),
        ok: 0,
        fail: 0,
        degraded: 0,
        pending: 0,
        avgLatencyMs: null,
      })),
    );
  }
  const first = bucketStart(range.from, tier);
  const rows = await sql<{
    key: string;
    i: number;
    ok: number;
    fail: number;
    degraded: number;
    pending: number;
    lat: number;
    n: number;
  }>`
    select m.key as key, (r.start - cast(${range.from} as bigint)) / cast(${stepInt} as bigint) as i,
      sum(r.n_ok) as ok, sum(r.n_fail) as fail, sum(r.n_degraded) as degraded, sum(r.n_pending) as pending,
      sum(r.lat_sum) as lat, sum(r.n_ok + r.n_degraded) as n
    from monitors m join ${sql.table(table)} r on r.monitor_id = m.id and r.start >= ${first} and r.start < ${range.to}
    where m.removed_at is null
    group by m.key, i`.execute(db);
  for (const r of rows.rows) {
    const i = Math.min(points - 1, Math.max(0, Math.floor(Number(r.i))));
    const line = out.get(r.key);
    const p = line?.[i];
    if (line === undefined || p === undefined) continue;
    const n = Number(r.n);
    const ok = p.ok + Number(r.ok);
    const prevN = p.ok + p.degraded;
    const prevSum = p.avgLatencyMs === null ? 0 : p.avgLatencyMs * 1000 * prevN;
    line[i] = {
      start: p.start,
      ok,
      fail: p.fail + Number(r.fail),
      degraded: p.degraded + Number(r.degraded),
      pending: p.pending + Number(r.pending),
      avgLatencyMs:
        n + prevN === 0 ? p.avgLatencyMs : (prevSum + Number(r.lat)) / (n + prevN) / 1000,
    };
  }
  return out;
}
