// npm run bench -- store
// 1. Sustained writes through the store's batched writer, SQLite and PostgreSQL (target ≥ 20,000 results/s).
// 2. One monitor, a result every 10 s for a year (3.15 M raw rows, generated straight into the tables):
//    uptime over 24 h / 7 d / 30 d / 90 d / 1 y, and the 30-day chart (targets < 20 ms each).
// 3. Board: latest status + 24 h sparkline of 1,000 monitors (target < 100 ms), 24 and 48 points.
// 4. Size of 100 monitors × 30 s × 30 days at default retention (goal < 250 MB), SQLite.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, seededRandom } from '@vigil/resilience';
import pg from 'pg';
import { createStore, type Store } from 'vigil/store';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import { checked, DAY } from '../../packages/server/test/store-events.js';
import { generate } from './generate.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// Raw rows of the one-year monitor: default retention keeps 14 days; 365 writes all 3.15 M (slow to generate).
const yearRawDays = Number(process.env.BENCH_STORE_YEAR_RAW_DAYS ?? 14);
const sizeMonitors = Number(process.env.BENCH_STORE_SIZE_MONITORS ?? 100);
const pgAdmin = process.env.VIGIL_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
const dbName = `vigil_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: pgAdmin });
await admin.connect();
await admin.query(`create database ${dbName}`);
const pgUrl = (() => {
  const u = new URL(pgAdmin);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const opts = { clock: systemClock, pruneIntervalMs: null } as const;

/** Results/s through onChecked → flushed, 1,000 monitors, `count` results per round. */
async function writes(open: () => Promise<Store>, count: number): Promise<number[]> {
  const out: number[] = [];
  const store = await open();
  const now = systemClock.now();
  let base = now - DAY;
  for (let r = 0; r < rounds + 1; r++) {
    const t = performance.now();
    for (let i = 0; i < count; i++) {
      store.onChecked(
        checked(`m${i % 1000}`, base + Math.floor(i / 1000) * 1000, { latencyMs: 1 + (i % 50) }),
      );
      if (i % 10_000 === 9_999) await store.flush();
    }
    await store.flush();
    const perS = count / ((performance.now() - t) / 1000);
    base += Math.ceil(count / 1000) * 1000;
    if (r > 0) out.push(perS); // round 0 warms up (statement caches, first inserts of each monitor)
    note(
      `  round ${r}: ${Math.round(perS)} results/s${r === 0 ? ' (warm-up)' : ''}, shed ${store.metrics().shedResults}`,
    );
  }
  await store.close();
  return out;
}

async function time(fn: () => Promise<unknown>, n: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

try {
  note('writes, SQLite (100,000 results per round over 1,000 monitors)');
  const sqliteWrites = median(
    await writes(
      () => createStore({ type: 'sqlite', path: join(dir, 'writes.db') }, opts),
      100_000,
    ),
  );
  note('writes, PostgreSQL');
  const pgWrites = median(
    await writes(() => createStore({ type: 'postgres', url: pgUrl }, opts), 100_000),
  );

  note(
    'board: 1,000 monitors, 24 h of history at a 5-minute interval (rollups and a state each, generated)…',
  );
  const board = await createStore({ type: 'sqlite', path: join(dir, 'board.db') }, opts);
  const now = systemClock.now();
  const gb = await generate(board, {
    monitors: 1000,
    intervalMs: 300_000,
    days: 1,
    end: now,
    rawDays: 0,
    random: seededRandom(3),
  });
  note(`  generated in ${round(gb.ms / 1000, 1)} s`);
  const boardAt = async (points: number) => {
    const ms = await time(async () => {
      await board.latest();
      await board.sparklines({ from: now - DAY, to: now }, points);
    }, 15);
    const lines = await board.sparklines({ from: now - DAY, to: now }, points);
    note(
      `  latest + ${points}-point sparklines: ${lines.size} lines, ${(await board.latest()).length} monitors: ${round(ms)} ms`,
    );
    return ms;
  };
  // 24 points read the hour tier; 48 (the API's default) the minute tier, twelve times the rows here.
  const boardMs = await boardAt(24);
  const board48Ms = await boardAt(48);
  await board.close();

  note(
    `one monitor, every 10 s for a year: generating ${yearRawDays} days of raw rows, rollups and incidents directly…`,
  );
  const year = await createStore({ type: 'sqlite', path: join(dir, 'year.db') }, opts);
  const g = await generate(year, {
    monitors: 1,
    intervalMs: 10_000,
    days: 365,
    end: now,
    rawDays: yearRawDays,
    random: seededRandom(1),
  });
  note(
    `  generated ${g.raw} raw rows, ${g.incidents} status periods in ${round(g.ms / 1000, 1)} s`,
  );
  const uptimeMs = await time(
    () =>
      year.uptime(
        'g0',
        [1, 7, 30, 90, 365].map((d) => ({ from: now - d * DAY, to: now })),
      ),
    20,
  );
  const [u] = await year.uptime('g0', [{ from: now - 365 * DAY, to: now }]);
  note(
    `  uptime 24 h…1 y in one call: ${round(uptimeMs)} ms (1 y: ${round((u?.uptime ?? 0) * 100, 3)} %)`,
  );
  const chartMs = await time(() => year.history('g0', { from: now - 30 * DAY, to: now }), 20);
  const chart = await year.history('g0', { from: now - 30 * DAY, to: now });
  note(
    `  30-day chart: ${chart.tier} tier, ${'buckets' in chart ? chart.buckets.length : 0} points, ${round(chartMs)} ms`,
  );
  await year.close();

  note(
    '100 monitors × 30 s × 30 days at default retention (raw 14 d, minute 3 d, hour, day), SQLite…',
  );
  const sizePath = join(dir, 'size.db');
  const sized = await createStore({ type: 'sqlite', path: sizePath }, opts);
  const s = await generate(sized, {
    monitors: 100,
    intervalMs: 30_000,
    days: 30,
    end: now,
    rawDays: 14,
    random: seededRandom(2),
  });
  const pruned = await sized.prune();
  await sized.close(); // checkpoints and removes the WAL
  const bytes = statSync(sizePath).size;
  note(
    `  ${s.raw} raw rows kept, ${s.incidents} periods, generated in ${round(s.ms / 1000, 1)} s; prune found ${pruned.raw} raw rows to delete and reclaimed ${round(pruned.reclaimedBytes / 1048576, 1)} MB; file ${round(bytes / 1048576, 1)} MB`,
  );

  report('store', {
    sqlite_writes_s: Math.round(sqliteWrites),
    postgres_writes_s: Math.round(pgWrites),
    uptime_1y_ms: round(uptimeMs),
    chart_30d_ms: round(chartMs),
    board_1000_ms: round(boardMs),
    board_1000_48pt_ms: round(board48Ms),
    // Scaled linearly when fewer monitors were generated (BENCH_STORE_SIZE_MONITORS).
    db_mb_100x30d: round(((bytes / 1048576) * 100) / sizeMonitors, 1),
    size_monitors_generated: sizeMonitors,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
