import { sql } from 'kysely';
import type { Retention } from '../model/retention.js';
import { tierMs } from '../model/tiers.js';
import type { TimeRange } from '../model/uptime.js';
import type { SparkPoint } from '../types.js';
import { checkRange } from './queries.js';
import { QUARTER_MS } from './writes.js';
import type { SqlDialect } from './dialect.js';

/** Sparkline sources, coarsest first: width and how long they are kept (the quarter tier as minutes). */
const sparkSources = [
  ['rollup_day', tierMs.day, 'day'],
  ['rollup_hour', tierMs.hour, 'hour'],
  ['rollup_quarter', QUARTER_MS, 'minute'],
  ['rollup_minute', tierMs.minute, 'minute'],
] as const;

type SparkTable = (typeof sparkSources)[number][0];

/**
 * The table a sparkline reads: the coarsest rollup no wider than a point and still retained back to
 * `from` — the narrow 15-minute tier for points between 15 minutes and an hour.
 */
export function sparkTier(
  step: number,
  from: number,
  now: number,
  retention: Retention,
): SparkTable {
  for (const [table, width, kept] of sparkSources) {
    if (width <= step && from >= now - retention[kept]) return table;
  }
  return from >= now - retention.minute ? 'rollup_minute' : 'rollup_hour';
}

/**
 * One rollup row of a sparkline: start, ok, fail, degraded, pending, latency sum (µs); all null for a
 * monitor without rows (the left join's empty match).
 */
type SparkRow =
  [number, number, number, number, number, number] | [null, null, null, null, null, null];

/**
 * Sparklines of every monitor in the config over a rollup tier. Each monitor's rows are one primary-key
 * range, returned as one JSON array per monitor — grouped in the order the monitors are scanned, so
 * the database sorts nothing and sends a thousand values instead of tens of thousands of rows — and
 * summed into `points` buckets here.
 */
export async function sparklines(
  d: SqlDialect,
  range: TimeRange,
  points: number,
  now: number,
  retention: Retention,
): Promise<Map<string, SparkPoint[]>> {
  checkRange(range, 'sparklines');
  if (!(Number.isInteger(points) && points >= 1 && points <= 1000))
    throw new RangeError(`sparklines: points must be an integer in 1…1000, got ${points}`);
  const step = (range.to - range.from) / points;
  const table = sparkTier(step, range.from, now, retention);
  const width = sparkSources.find((t) => t[0] === table)?.[1] ?? tierMs.minute;
  const cols = sql`r.start, r.n_ok, r.n_fail, r.n_degraded, r.n_pending, r.lat_sum`;
  const rows = await sql<{ key: string; j: string | SparkRow[] | null }>`
    select m.key as key, ${d.kind === 'sqlite' ? sql`json_group_array(json_array(${cols}))` : sql`json_agg(json_build_array(${cols}))`} as j
    from monitors m left join ${sql.table(table)} r
      on r.monitor_id = m.id and r.start >= ${range.from - (range.from % width)} and r.start < ${range.to}
    where m.removed_at is null
    group by m.id, m.key`.execute(d.db);
  const out = new Map<string, SparkPoint[]>();
  const sums = new Float64Array(points * 5);
  for (const { key, j } of rows.rows) {
    sums.fill(0);
    const list = (typeof j === 'string' ? JSON.parse(j) : (j ?? [])) as SparkRow[];
    for (const r of list) {
      if (r[0] === null) continue;
      const at = 5 * Math.min(points - 1, Math.max(0, Math.floor((r[0] - range.from) / step)));
      for (let k = 0; k < 5; k++) sums[at + k] = (sums[at + k] as number) + (r[k + 1] as number);
    }
    const line = new Array<SparkPoint>(points);
    for (let i = 0, at = 0; i < points; i++, at += 5) {
      const ok = sums[at] as number;
      const degraded = sums[at + 2] as number;
      line[i] = {
        start: Math.round(range.from + i * step),
        ok,
        fail: sums[at + 1] as number,
        degraded,
        pending: sums[at + 3] as number,
        avgLatencyMs:
          ok + degraded === 0 ? null : (sums[at + 4] as number) / (ok + degraded) / 1000,
      };
    }
    out.set(key, line);
  }
  return out;
}
