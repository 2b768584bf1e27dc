// npm run bench -- flags
// 1. Provider change event → every child of the flag started or stopped (target p99 < 50 ms).
// 2. The same through polling, for a provider without events (target: within the poll interval + 50 ms).
// 3. One full round of evaluations over 10,000 flag-governed children (target < 20 ms), with the
//    children sharing 100 flags, and each with its own flag; against the OpenFeature SDK alone (the peer).
// The 2 cores are shared: CPU times are given beside wall times, and the load average at the end.
// Each figure in fresh processes; medians of BENCH_ROUNDS runs (default 3).
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runChild } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
const CHILDREN = 1000;
const FLAGS = 100;
const POLL_MS = 250;

interface Latency {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

const events: Latency[] = [];
for (let i = 0; i < rounds; i++) {
  const r = runChild<Latency>(script, ['event', String(CHILDREN), String(FLAGS), '200']);
  note(
    `event → started/stopped, round ${i + 1}: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (${r.samples} flips)`,
  );
  events.push(r);
}

const polls: Latency[] = [];
for (let i = 0; i < rounds; i++) {
  const r = runChild<Latency>(script, [
    'poll',
    String(CHILDREN),
    String(FLAGS),
    '40',
    String(POLL_MS),
  ]);
  note(
    `poll every ${POLL_MS} ms → started/stopped, round ${i + 1}: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms`,
  );
  polls.push(r);
}

interface Round {
  ms: number;
  cpuMs: number;
  sdkMs: number;
  sdkCpuMs: number;
}
const shared: Round[] = [];
for (let i = 0; i < rounds; i++) {
  const s = runChild<Round>(script, ['eval', '10000', String(FLAGS), '20']);
  note(
    `round over 10,000 children on ${FLAGS} flags, run ${i + 1}: ${s.ms} ms (${s.cpuMs} ms CPU); SDK alone, ${FLAGS} evaluations: ${s.sdkMs} ms (${s.sdkCpuMs} ms CPU)`,
  );
  shared.push(s);
}
// Each child with its own flag: a round is ~10,000 SDK evaluations, so one process, medians of 3 rounds.
const distinct = [runChild<Round>(script, ['eval', '10000', '10000', '3'])];
note(
  `round over 10,000 children on 10,000 flags: ${distinct[0]!.ms} ms (${distinct[0]!.cpuMs} ms CPU); SDK alone: ${distinct[0]!.sdkMs} ms (${distinct[0]!.sdkCpuMs} ms CPU)`,
);

const mid = (xs: Round[], k: keyof Round): number => round(median(xs.map((x) => x[k])));
report('flags', {
  event_p99_ms: round(median(events.map((e) => e.p99))),
  event_p50_ms: round(median(events.map((e) => e.p50)), 3),
  poll_interval_ms: POLL_MS,
  poll_p99_ms: round(median(polls.map((p) => p.p99))),
  poll_max_ms: round(Math.max(...polls.map((p) => p.max))),
  eval_10k_ms: mid(shared, 'ms'),
  eval_10k_cpu_ms: mid(shared, 'cpuMs'),
  eval_10k_flags: FLAGS,
  eval_10k_distinct_ms: mid(distinct, 'ms'),
  eval_10k_distinct_cpu_ms: mid(distinct, 'cpuMs'),
  sdk_10k_distinct_cpu_ms: mid(distinct, 'sdkCpuMs'),
  ratio_vs_sdk: round(mid(distinct, 'cpuMs') / mid(distinct, 'sdkCpuMs')),
  load_avg_1m: round(loadavg()[0] ?? 0),
});
