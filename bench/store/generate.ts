// Writes a synthetic history straight into a store's tables in the stored format (through the store's
// own row API, `transfer.write`), instead of pushing millions of results through the writer, which would
// take minutes. Rows are what the writer would have produced for the same results: raw rows within
// `rawDays`, minute (and 15-minute board) rollups for the last 3 days, hour rollups for 400 days, day rollups for all, status
// periods from an up/down timeline, and a state per monitor.
import type { Random } from '@vigil/resilience';
import { BUCKETS, bucketOf, encodePhases, type Row, type Store } from 'vigil/store';

export interface GenerateOptions {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly days: number;
  /** Wall time of the last result, ms. */
  readonly end: number;
  /** Raw rows are kept for the last `rawDays` days (default retention: 14). */
  readonly rawDays: number;
  readonly random: Random;
}

const DAY = 86_400_000;
const tiers = [
  ['rollup_minute', 60_000, 3 * DAY],
  ['rollup_hour', 3_600_000, 400 * DAY],
  ['rollup_day', DAY, Infinity],
  // The board's narrow tier: counts and latency sum only.
  ['rollup_quarter', 900_000, 3 * DAY],
] as const;

class Sink {
  readonly #rows: Row[] = [];
  count = 0;
  constructor(
    readonly store: Store,
    readonly table: string,
    readonly chunk: number,
  ) {}
  async add(row: Row): Promise<void> {
    this.#rows.push(row);
    this.count++;
    if (this.#rows.length >= this.chunk) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#rows.length > 0) await this.store.transfer.write(this.table, this.#rows.splice(0));
  }
}

interface Agg {
  n: [number, number, number, number];
  sum: number;
  min: number | null;
  max: number | null;
  h: number[];
}

const empty = (): Agg => ({
  n: [0, 0, 0, 0],
  sum: 0,
  min: null,
  max: null,
  h: new Array<number>(BUCKETS).fill(0),
});

export async function generate(
  store: Store,
  o: GenerateOptions,
): Promise<{ raw: number; incidents: number; ms: number }> {
  const t = performance.now();
  const keys = Array.from({ length: o.monitors }, (_, i) => `g${i}`);
  await store.syncMonitors(
    keys.map((id) => ({ id, name: id, group: 'bench', kind: 'tcp', intervalMs: o.intervalMs })),
  );
  const ids = new Map<string, number>();
  for (const r of (await store.transfer.read('monitors', null, 100_000)).rows)
    ids.set(String(r.key), Number(r.id));
  await store.transfer.write(
    'messages',
    keys.map((k, i) => ({
      id: i + 1,
      text: `connected to ${k}:5432`,
      details: '',
      last_seen: o.end,
    })),
  );
  const start = o.end - o.days * DAY;
  const rawFrom = o.end - o.rawDays * DAY;
  const raw = new Sink(store, 'results', 4000);
  const sinks = tiers.map(([table]) => new Sink(store, table, 500));
  const incidents = new Sink(store, 'incidents', 2000);
  // Per monitor: the current period, and the open rollup bucket of each tier.
  const monitors = keys.map((key) => ({
    key,
    id: ids.get(key) as number,
    down: false,
    until: start,
    periodStart: start,
    aggs: tiers.map(() => ({ start: -1, agg: empty() })),
  }));
  let incidentId = 0;
  const flushAgg = async (m: (typeof monitors)[number], ti: number) => {
    const slot = m.aggs[ti]!;
    if (slot.start < 0) return;
    const a = slot.agg;
    const row: Row = {
      monitor_id: m.id,
      start: slot.start,
      n_ok: a.n[0],
      n_fail: a.n[1],
      n_degraded: a.n[2],
      n_pending: a.n[3],
      lat_sum: a.sum,
      lat_min: a.min,
      lat_max: a.max,
    };
    if (tiers[ti]![0] === 'rollup_quarter') {
      const { lat_min: _min, lat_max: _max, ...narrow } = row;
      await sinks[ti]!.add(narrow);
      return;
    }
    a.h.forEach((v, k) => (row[`h${k}`] = v));
    await sinks[ti]!.add(row);
  };
  for (let ts = start; ts < o.end; ts += o.intervalMs) {
    for (const m of monitors) {
      if (ts >= m.until) {
        if (ts > start)
          await incidents.add({
            id: ++incidentId,
            monitor_id: m.id,
            from_status: m.down ? 'up' : 'down',
            to_status: m.down ? 'down' : 'up',
            cause: 'check',
            reason: m.down ? 'connection refused' : 'connected',
            started_at: m.periodStart,
            ended_at: ts,
            last_seen_at: ts - o.intervalMs,
          });
        m.down = !m.down && ts > start;
        m.periodStart = ts;
        // Up for 1–4 days, down for 2–30 minutes.
        m.until =
          ts + (m.down ? 120_000 + o.random.next() * 28 * 60_000 : DAY + o.random.next() * 3 * DAY);
      }
      const outcome = m.down ? 1 : 0;
      const us = Math.round(
        Math.exp(Math.log(2000) + o.random.next() * 2.5) + o.random.next() * 500,
      );
      if (ts >= rawFrom)
        await raw.add({
          monitor_id: m.id,
          ts,
          outcome,
          latency_us: us,
          message_id: m.id,
          value: null,
          phases: Buffer.from(encodePhases({ connect: us / 2000 }) ?? []),
        });
      for (let ti = 0; ti < tiers.length; ti++) {
        const [, size, keep] = tiers[ti]!;
        if (ts < o.end - keep) continue;
        const b = Math.floor(ts / size) * size;
        const slot = m.aggs[ti]!;
        if (slot.start !== b) {
          await flushAgg(m, ti);
          slot.start = b;
          slot.agg = empty();
        }
        const a = slot.agg;
        a.n[outcome]++;
        if (outcome === 0) {
          a.sum += us;
          a.min = a.min === null ? us : Math.min(a.min, us);
          a.max = a.max === null ? us : Math.max(a.max, us);
          a.h[bucketOf(us)]!++;
        }
      }
    }
  }
  for (const m of monitors) {
    for (let ti = 0; ti < tiers.length; ti++) await flushAgg(m, ti);
    await incidents.add({
      id: ++incidentId,
      monitor_id: m.id,
      from_status: m.down ? 'up' : 'down',
      to_status: m.down ? 'down' : 'up',
      cause: 'check',
      reason: 'connected',
      started_at: m.periodStart,
      ended_at: null,
      last_seen_at: o.end - o.intervalMs,
    });
  }
  for (const s of [raw, ...sinks, incidents]) await s.flush();
  await store.transfer.write(
    'monitor_state',
    monitors.map((m) => ({
      monitor_id: m.id,
      seq: 1,
      status: m.down ? 'down' : 'up',
      since: m.periodStart,
      updated_at: o.end,
      state: JSON.stringify({
        status: m.down ? 'down' : 'up',
        reason: 'connected',
        since: m.periodStart,
        lifecycle: 'running',
        confirmed: m.down ? 'down' : 'up',
        consecutiveFailures: 0,
        consecutiveSuccesses: 1,
        backoff: { attempt: 0 },
      }),
    })),
  );
  await store.transfer.finish();
  return { raw: raw.count, incidents: incidentId, ms: performance.now() - t };
}
