// npm run bench -- supervision
// 1. Start 100,000 tasks under one DynamicSupervisor (target < 1 s, < 300 MB RSS), in fresh processes.
// 2. Crash → running again at 1,000 crashes/s for 10 s (target p99 < 1 ms, no memory growth).
import { fileURLToPath } from 'node:url';
import { runChild } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const script = fileURLToPath(new URL('./worker.ts', import.meta.url));

const starts: { ms: number; rssMb: number }[] = [];
for (let i = 0; i < rounds; i++) {
  const r = runChild<{ ms: number; rssMb: number }>(script, ['start', '100000']);
  note(`start 100k, round ${i + 1}: ${round(r.ms)} ms, ${r.rssMb} MB RSS`);
  starts.push(r);
}

const withSignal = runChild<{ ms: number; rssMb: number }>(script, ['start', '100000', 'signal']);
note(
  `start 100k, tasks listening on ctx.signal (Node's AbortSignal listeners): ${round(withSignal.ms)} ms, ${withSignal.rssMb} MB RSS`,
);

const restart = runChild<{
  p50: number;
  p99: number;
  max: number;
  crashes: number;
  heapGrowthMb: number;
  rssGrowthMb: number;
}>(script, ['restart', '10000', '1000']);
note(
  `restart: ${restart.crashes} crashes in 10 s, p50 ${restart.p50} ms, p99 ${restart.p99} ms, max ${restart.max} ms, heap growth ${restart.heapGrowthMb} MB`,
);

report('supervision', {
  start_100k_ms: round(median(starts.map((s) => s.ms))),
  start_100k_rss_mb: median(starts.map((s) => s.rssMb)),
  start_100k_signal_ms: round(withSignal.ms),
  start_100k_signal_rss_mb: withSignal.rssMb,
  restart_p99_ms: restart.p99,
  restart_p50_ms: restart.p50,
  restart_crashes: restart.crashes,
  restart_heap_growth_mb: restart.heapGrowthMb,
});
