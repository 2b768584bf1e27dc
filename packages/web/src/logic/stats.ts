import type { Bucket, RawResult, Status } from '../types';

/** The `q` quantile (0..1) of sorted numbers, by linear interpolation; undefined when empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Chart series: times in seconds (uPlot's x), values in ms; `null` where there is no data. */
export interface LatencySeries {
  readonly x: number[];
  readonly latency: (number | null)[];
  readonly p50: (number | null)[];
  readonly p95: (number | null)[];
  /** Timing phases (dns, connect, tls, ttfb…) by name, aligned with `x`. */
  readonly phases: Record<string, (number | null)[]>;
}

/**
 * Series for the response-time chart from raw results: each result's latency and phases, and the rolling
 * p50/p95 over the last `window` results (so the lines show how the distribution moves).
 */
export function seriesFromResults(results: readonly RawResult[], window = 20): LatencySeries {
  const sorted = [...results].sort((a, b) => a.at - b.at);
  const names = [...new Set(sorted.flatMap((r) => Object.keys(r.phases ?? {})))].sort();
  const phases: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  const x: number[] = [];
  const latency: (number | null)[] = [];
  const p50: (number | null)[] = [];
  const p95: (number | null)[] = [];
  const recent: number[] = [];
  for (const r of sorted) {
    x.push(r.at / 1000);
    const measured = r.outcome !== 'pending';
    latency.push(measured ? r.latencyMs : null);
    if (measured) recent.push(r.latencyMs);
    if (recent.length > window) recent.shift();
    const ordered = [...recent].sort((a, b) => a - b);
    p50.push(quantile(ordered, 0.5) ?? null);
    p95.push(quantile(ordered, 0.95) ?? null);
    for (const n of names) phases[n]?.push(r.phases?.[n] ?? null);
  }
  return { x, latency, p50, p95, phases };
}

/** Series from rollup buckets: average as `p50`'s stand-in is not honest, so `latency` is the average. */
export function seriesFromBuckets(buckets: readonly Bucket[]): LatencySeries {
  const sorted = [...buckets].sort((a, b) => a.start - b.start);
  return {
    x: sorted.map((b) => b.start / 1000),
    latency: sorted.map((b) => b.latency?.avgMs ?? null),
    p50: sorted.map(() => null),
    p95: sorted.map((b) => b.latency?.p95Ms ?? null),
    phases: {},
  };
}

/** One day of the 90-day status bar. */
export interface DayCell {
  readonly start: number;
  /** The worst outcome seen that day, as a status; `none` when nothing was checked. */
  readonly status: Status | 'none';
  /** Share of checks that were ok or degraded, or null when there were none. */
  readonly ratio: number | null;
  readonly checks: number;
}

/**
 * The status bar of the last `days` days ending at `now`, from hour or day buckets summed per UTC day
 * (as the store's day rollups are); days without a check are `none`.
 */
export function dayCells(buckets: readonly Bucket[], now: number, days = 90): DayCell[] {
  const DAY = 86_400_000;
  const today = Math.floor(now / DAY) * DAY;
  const byDay = new Map<number, { ok: number; fail: number; degraded: number; pending: number }>();
  for (const b of buckets) {
    const day = Math.floor(b.start / DAY) * DAY;
    const sum = byDay.get(day) ?? { ok: 0, fail: 0, degraded: 0, pending: 0 };
    sum.ok += b.ok;
    sum.fail += b.fail;
    sum.degraded += b.degraded;
    sum.pending += b.pending;
    byDay.set(day, sum);
  }
  const cells: DayCell[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = today - i * DAY;
    const b = byDay.get(start);
    const checks = b === undefined ? 0 : b.ok + b.fail + b.degraded + b.pending;
    if (b === undefined || checks === 0) {
      cells.push({ start, status: 'none', ratio: null, checks: 0 });
      continue;
    }
    const status: Status =
      b.fail > 0 ? 'down' : b.degraded > 0 ? 'degraded' : b.ok > 0 ? 'up' : 'pending';
    cells.push({ start, status, ratio: (b.ok + b.degraded) / checks, checks });
  }
  return cells;
}
