// npm run bench -- engine
// 1. 10,000 monitors (70 % http, 30 % tcp) at a 30 s interval against local targets, Vigil run as
//    `vigil start` runs it (SQLite store, logs, metrics, live hub): schedule lag p99 < 100 ms, CPU < 30 % of
//    one core, RSS < 400 MB, measured over two intervals after a warm-up of one interval.
// 2. The ceiling: the largest number of monitors at a 10 s interval that keeps p99 lag < 1 s (doubling,
//    then bisecting, within a time budget).
// Targets (HTTP with keep-alive, TCP) run in processes of their own; each engine run is a fresh process.
// BENCH_ENGINE_ALLOC=<file> samples what outlives the young generation in the measured window (.heapprofile).
// BENCH_V8_FLAGS (e.g. `--heap-growing-percent=30`) is applied to each engine process with
// v8.setFlagsFromString before Vigil starts (V8 refuses such flags in NODE_OPTIONS).
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { nodeArgs, runChild } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import type { WorkerOptions, WorkerResult } from './worker.js';

const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 1);
const monitors = Number(env.BENCH_ENGINE_MONITORS ?? 10_000);
const intervalMs = Number(env.BENCH_ENGINE_INTERVAL_MS ?? 30_000);
/** The targets' keep-alive timeout (announced to the client); 0: `Connection: close`. */
const keepAliveMs = Number(env.BENCH_ENGINE_KEEPALIVE_MS ?? 75_000);
/** `keepAlive: true` on the http monitors (default: the check's default, a fresh connection every run). */
const httpKeepAlive = env.BENCH_ENGINE_HTTP_KEEPALIVE === '1';
const ceilingBudgetS = Number(env.BENCH_ENGINE_CEILING_BUDGET_S ?? 180);
const profileDir = env.BENCH_ENGINE_PROFILE;
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
const targetsScript = fileURLToPath(new URL('./targets.ts', import.meta.url));

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill()));

async function targets(args: string[]): Promise<number[]> {
  const child = spawn(process.execPath, [...nodeArgs(), targetsScript, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) return (JSON.parse(line) as { ports: number[] }).ports;
  throw new Error(`targets ${args.join(' ')} exited before listening`);
}

// Two HTTP processes of 8 ports each, one TCP process of 8 ports: the targets take what CPU they need
// without one process becoming the bottleneck of the whole run.
const httpPorts = [
  ...(await targets(['http', '8', String(keepAliveMs)])),
  ...(await targets(['http', '8', String(keepAliveMs)])),
];
const tcpPorts = await targets(['tcp', '8']);

function run(o: Omit<WorkerOptions, 'httpPorts' | 'tcpPorts'>): WorkerResult {
  return runChild<WorkerResult>(worker, [JSON.stringify({ ...o, httpPorts, tcpPorts })]);
}

function describe(r: WorkerResult): string {
  return (
    `${r.monitors} monitors / ${r.intervalMs / 1000} s: lag p50 ${r.lagP50} ms, p99 ${r.lagP99} ms, ` +
    `max ${r.lagMax} ms; CPU ${r.cpuPct} %; RSS ${r.rssMb} MB (heap ${r.heapMb}); ` +
    `${r.runsPerS} runs/s; loop delay p99 ${r.loopP99} ms, max ${r.loopMax} ms; ` +
    `${r.flushes} store flushes p50 ${r.flushP50} ms, p99 ${r.flushP99} ms, max ${r.flushMax} ms; ` +
    `GC ${r.gcMs} ms (longest ${r.gcMaxMs} ms); ` +
    `${r.storeErrors} failed flushes${r.storeError === '' ? '' : ` (${r.storeError})`}; ${r.failed} failed` +
    (r.firstFailure === '' ? '' : ` (${r.firstFailure})`) +
    `; started in ${round(r.startMs / 1000, 1)} s` +
    (r.stoppedEarly ? '; stopped early' : '')
  );
}

note(
  `engine bench: targets keep-alive ${keepAliveMs} ms, http checks ${httpKeepAlive ? 'with' : 'without'} keepAlive; ` +
    `load average ${loadAverage()} before the run`,
);
const mains: WorkerResult[] = [];
for (let i = 0; i < rounds; i++) {
  const r = run({
    monitors,
    intervalMs,
    warmupMs: intervalMs + 5_000,
    measureMs: 2 * intervalMs,
    httpKeepAlive,
    ...(profileDir === undefined ? {} : { profileDir }),
  });
  note(`round ${i + 1}: ${describe(r)}`);
  mains.push(r);
}

// The ceiling at a 10 s interval: a trial passes when p99 lag < 1 s over 20 s after a 20 s warm-up (the
// start-up transient: launching every task, the first status changes, JIT), with no failed check.
const ceilingStart = performance.now();
const budgetLeft = (): boolean => (performance.now() - ceilingStart) / 1000 < ceilingBudgetS;
const trial = (n: number): boolean => {
  const r = run({
    monitors: n,
    intervalMs: 10_000,
    warmupMs: 20_000,
    measureMs: 20_000,
    giveUpLagMs: 1000,
  });
  const pass = !r.stoppedEarly && r.lagP99 < 1000 && r.failed === 0;
  note(`ceiling trial: ${describe(r)} → ${pass ? 'pass' : 'fail'}`);
  return pass;
};
// Doubling up from 10,000 while trials pass, or halving down while they fail; then bisecting.
let low = 0;
let high = Infinity;
for (let n = 10_000; budgetLeft() && (high === Infinity || low === 0) && n >= 250;) {
  if (trial(n)) {
    low = n;
    if (high !== Infinity) break;
    n *= 2;
  } else {
    high = n;
    if (low !== 0) break;
    n = Math.round(n / 2);
  }
}
while (high !== Infinity && high - low > Math.max(250, low * 0.1) && budgetLeft()) {
  const mid = Math.round((low + high) / 2 / 250) * 250;
  if (trial(mid)) low = mid;
  else high = mid;
}
note(
  `ceiling at a 10 s interval: ${low} monitors (${high === Infinity ? 'no failing trial within the budget' : `${high} failed`}); ` +
    `for scale, the most popular Node.js monitor's maintainers place its ceiling near 500 monitors on one core`,
);

const pick = (f: (r: WorkerResult) => number): number => median(mains.map(f));
report('engine', {
  monitors,
  interval_s: intervalMs / 1000,
  lag_p99_ms: pick((r) => r.lagP99),
  lag_p50_ms: pick((r) => r.lagP50),
  cpu_pct: pick((r) => r.cpuPct),
  rss_mb: pick((r) => r.rssMb),
  runs_per_s: pick((r) => r.runsPerS),
  failed: pick((r) => r.failed),
  loop_delay_p99_ms: pick((r) => r.loopP99),
  flush_p50_ms: pick((r) => r.flushP50),
  flush_max_ms: pick((r) => r.flushMax),
  gc_max_ms: pick((r) => r.gcMaxMs),
  // Left out when not searched (`BENCH_ENGINE_CEILING_BUDGET_S=0`: one round only).
  ...(ceilingBudgetS > 0 ? { ceiling_10s: low } : {}),
  keepalive_ms: keepAliveMs,
  http_keepalive: httpKeepAlive,
  load_avg_1m: loadAverage(),
});
process.exit(0);

function loadAverage(): number {
  return round(loadavg()[0] ?? 0);
}
