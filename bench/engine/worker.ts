// One engine process of the engine bench: `worker.ts '<json options>'`. Runs Vigil as `vigil start` does
// (startApp: engine, SQLite store, logs, metrics, live hub, HTTP server) over a generated config of
// `monitors` monitors (70 % http, 30 % tcp) against the targets' ports, waits out the warm-up, then measures
// schedule lag of every check run, this process's CPU and its RSS. Prints one JSON line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { quantile, round } from '../lib/stats.js';
import type * as App from '../../packages/server/src/app.js';

export interface WorkerOptions {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly httpPorts: readonly number[];
  readonly tcpPorts: readonly number[];
  /** Stop early once 2 % of the window's runs were later than this, ms (p99 cannot pass: ceiling search). */
  readonly giveUpLagMs?: number;
  /** Set `keepAlive: true` on the http checks (connections reused as long as the targets allow). */
  readonly httpKeepAlive?: boolean;
  /** Write a CPU profile of the measured window to this directory. */
  readonly profileDir?: string;
}

export interface WorkerResult {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly runs: number;
  readonly runsPerS: number;
  readonly lagP50: number;
  readonly lagP99: number;
  readonly lagMax: number;
  readonly cpuPct: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly loopP99: number;
  /** The event loop's longest delay in the window, ms. */
  readonly loopMax: number;
  /**
   * Store flushes in the window and their wall time p50/p99/max, ms (the time the loop is held when the
   * flush never yields; with yields, the time from first to last statement).
   */
  readonly flushes: number;
  readonly flushP50: number;
  readonly flushP99: number;
  readonly flushMax: number;
  /** Garbage collection in the window: total pause and longest pause, ms. */
  readonly gcMs: number;
  readonly gcMaxMs: number;
  /** The store's failed flushes in the whole run, and the last error. */
  readonly storeErrors: number;
  readonly storeError: string;
  readonly failed: number;
  readonly firstFailure: string;
  readonly startMs: number;
  readonly stoppedEarly: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
// `vigil start` runs the built JavaScript without source maps; tsx, which runs this TypeScript file, turns
// them on for the whole process, and with them every Error's stack is mapped when it is read.
process.setSourceMapsEnabled(false);
if (process.env.BENCH_V8_FLAGS !== undefined)
  (await import('node:v8')).setFlagsFromString(process.env.BENCH_V8_FLAGS);
const source = process.env.BENCH_SOURCE === '1';
const appModule = source ? '../../packages/server/src/app.ts' : '../../packages/server/dist/app.js';
const { startApp } = (await import(appModule)) as typeof App;

/** The config `vigil start` reads: every monitor on the same interval and a 5 s timeout. */
function configYaml(o: WorkerOptions): string {
  const lines = [
    'server: { host: 127.0.0.1, port: 0 }',
    'storage: { type: sqlite, path: ./vigil.db }',
    `defaults: { interval: ${o.intervalMs}ms, timeout: 5s }`,
    'monitors:',
  ];
  for (let i = 0; i < o.monitors; i++) {
    // 7 in 10 http (half of them assert a JSON value), 3 in 10 tcp (a third send and expect a reply).
    const slot = i % 10;
    if (slot < 7) {
      const port = o.httpPorts[i % o.httpPorts.length];
      const expect =
        (slot % 2 === 0 ? ", expect: { json: { '$.status': ok } }" : '') +
        (o.httpKeepAlive === true ? ', keepAlive: true' : '');
      lines.push(
        `  - { id: h${i}, http: { url: 'http://127.0.0.1:${port}/health/${i}'${expect} } }`,
      );
    } else {
      const port = o.tcpPorts[i % o.tcpPorts.length];
      const talk = slot === 9 ? ", send: 'PING\\r\\n', expect: PONG" : '';
      lines.push(`  - { id: t${i}, tcp: { host: 127.0.0.1, port: ${port}${talk} } }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const dir = mkdtempSync(join(process.env.BENCH_ENGINE_DIR ?? tmpdir(), 'vigil-bench-engine-'));
const configPath = join(dir, 'vigil.yaml');
writeFileSync(configPath, configYaml(options));
const logger = pino({ level: 'info', base: null }, pino.destination(join(dir, 'vigil.log')));

const t0 = performance.now();
const app = await startApp({ configPath, watch: false, logger });
const startMs = performance.now() - t0;

const lags: number[] = [];
let measuring = false;
let failed = 0;
let late = 0;
let firstFailure = '';
let stop: () => void = () => {};
const lateLimit = ((options.monitors * options.measureMs) / options.intervalMs) * 0.02;
app.engine.on('checked', ({ monitorId, result }) => {
  if (!measuring) return;
  lags.push(result.lagMs);
  if (result.outcome !== 'ok') {
    failed++;
    if (firstFailure === '') firstFailure = `${monitorId}: ${result.message}`;
  }
  // Give up once 2 % of the window's expected runs were late: p99 cannot pass any more.
  if (options.giveUpLagMs !== undefined && result.lagMs > options.giveUpLagMs && ++late > lateLimit)
    stop();
});

await sleep(options.warmupMs);
const loop = monitorEventLoopDelay({ resolution: 10 });
const session = options.profileDir === undefined ? undefined : await startProfile();
const allocFile = process.env.BENCH_ENGINE_ALLOC;
const allocations = allocFile === undefined ? undefined : await startAllocationSampling(allocFile);
measuring = true;
loop.enable();
const cpu0 = process.cpuUsage();
const w0 = performance.now();
let rssMax = 0;
let heapMax = 0;
const sample = (): void => {
  const m = process.memoryUsage();
  rssMax = Math.max(rssMax, m.rss);
  heapMax = Math.max(heapMax, m.heapUsed);
};
sample();
const sampler = setInterval(sample, 500);
// Each flush's duration, read from the store's metrics (one flush a second: a 50 ms poll sees each).
const flushMs: number[] = [];
let gcMs = 0;
let gcMaxMs = 0;
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcMaxMs = Math.max(gcMaxMs, e.duration);
  }
});
gc.observe({ entryTypes: ['gc'] });
let flushesSeen = app.store.metrics().flushes;
const flushPoll = setInterval(() => {
  const m = app.store.metrics();
  if (m.flushes !== flushesSeen) flushMs.push(m.lastFlushMs);
  flushesSeen = m.flushes;
}, 50);
const stoppedEarly = await new Promise<boolean>((resolve) => {
  const timer = setTimeout(() => resolve(false), options.measureMs);
  stop = () => {
    clearTimeout(timer);
    resolve(true);
  };
});
const wallMs = performance.now() - w0;
sample();
const cpu = process.cpuUsage(cpu0);
measuring = false;
clearInterval(sampler);
clearInterval(flushPoll);
gc.disconnect();
loop.disable();
if (session !== undefined) await session.stop();
if (allocations !== undefined) await allocations.stop();
if (process.env.BENCH_ENGINE_HEAP !== undefined) {
  const { writeHeapSnapshot } = await import('node:v8');
  writeHeapSnapshot(process.env.BENCH_ENGINE_HEAP);
}

const result: WorkerResult = {
  monitors: options.monitors,
  intervalMs: options.intervalMs,
  runs: lags.length,
  runsPerS: round(lags.length / (wallMs / 1000)),
  lagP50: round(quantile(lags, 0.5)),
  lagP99: round(quantile(lags, 0.99)),
  lagMax: round(Math.max(...lags)),
  cpuPct: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
  rssMb: round(rssMax / 1024 / 1024, 1),
  heapMb: round(heapMax / 1024 / 1024, 1),
  loopP99: round(loop.percentile(99) / 1e6),
  loopMax: round(loop.max / 1e6),
  flushes: flushMs.length,
  flushP50: round(quantile(flushMs, 0.5)),
  flushP99: round(quantile(flushMs, 0.99)),
  flushMax: round(Math.max(0, ...flushMs)),
  gcMs: round(gcMs),
  gcMaxMs: round(gcMaxMs),
  storeErrors: app.store.metrics().failedFlushes,
  storeError: app.store.metrics().lastError?.message ?? '',
  failed,
  firstFailure,
  startMs: round(startMs),
  stoppedEarly,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
rmSync(dir, { recursive: true, force: true });
process.exit(0);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Samples the allocations that outlive the young generation (those a scavenge collects are left out):
 * what is promoted to the old space and makes it grow between major GCs. Written as a .heapprofile.
 */
async function startAllocationSampling(file: string): Promise<{ stop(): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const inspector = new Session();
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return {
    async stop() {
      const { profile } = await inspector.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/** A CPU profile of the measured window, written as `engine-<monitors>.cpuprofile` (open in DevTools). */
async function startProfile(): Promise<{ stop(): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 500 });
  await inspector.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await inspector.post('Profiler.stop');
      const file = join(options.profileDir ?? '.', `engine-${options.monitors}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}
