// npm run bench -- health
// 1. 10,000 persistent TCP health checkers against local listener processes; the listeners close every
//    connection at once: every onDisconnect within 1 s, p99 < 500 ms; RSS < 250 MB with the 10,000.
//    The same with bare `net` sockets (the peer: what Node alone takes to see the closes).
// 2. A ProviderPool of 10,000 providers polled every second: CPU < 50 % of one core. Against a stub in
//    its own process (a line protocol over 8 persistent connections), and against an in-process value.
// Each round runs in a fresh process; figures are medians over BENCH_ROUNDS (default 3) rounds.
import { fileURLToPath } from 'node:url';
import { runChild } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const n = Number(process.env.BENCH_HEALTH_N ?? 10_000);
const script = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Detect {
  n: number;
  cpuMs: number;
  lost: number;
  connectMs: number;
  rssMb: number;
  heapMb: number;
  allMs: number;
  p99Ms: number;
  p50Ms: number;
}
interface Pool {
  n: number;
  allowed: number;
  pollsPerSec: number;
  cpuPct: number;
  rssMb: number;
}

// The peers (bare sockets, the in-process pool) vary less: fewer rounds keep the run under 5 minutes
// on two busy cores.
const peerRounds = Math.max(1, Math.ceil(rounds / 2));

const vigil: Detect[] = [];
const net: Detect[] = [];
for (let i = 0; i < rounds; i++) {
  for (const [kind, out] of [
    ['vigil', vigil],
    ['net', net],
  ] as const) {
    if (kind === 'net' && i >= peerRounds) continue;
    const r = runChild<Detect>(script, ['detect', String(n), kind]);
    note(
      `detect ${kind}, round ${i + 1}: ${r.lost}/${r.n} seen, all ${r.allMs} ms, p99 ${r.p99Ms} ms, p50 ${r.p50Ms} ms, CPU ${r.cpuMs} ms, ${r.rssMb} MB RSS (connect ${r.connectMs} ms)`,
    );
    if (r.lost !== r.n) throw new Error(`only ${r.lost} of ${r.n} disconnects were seen`);
    out.push(r);
  }
}

const pools: Pool[] = [];
const inproc: Pool[] = [];
for (let i = 0; i < rounds; i++) {
  for (const [target, out] of [
    ['stub', pools],
    ['inproc', inproc],
  ] as const) {
    if (target === 'inproc' && i >= peerRounds) continue;
    const r = runChild<Pool>(script, ['pool', String(n), target]);
    note(
      `pool ${target}, round ${i + 1}: ${r.allowed}/${r.n} allowed, ${r.pollsPerSec} polls/s, CPU ${r.cpuPct} % of one core, ${r.rssMb} MB RSS`,
    );
    out.push(r);
  }
}

const m = (rows: readonly Detect[] | readonly Pool[], key: string): number =>
  round(median(rows.map((r) => (r as unknown as Record<string, number>)[key]!)));

report('health', {
  detect_all_ms: m(vigil, 'allMs'),
  detect_p99_ms: m(vigil, 'p99Ms'),
  detect_p50_ms: m(vigil, 'p50Ms'),
  detect_cpu_ms: m(vigil, 'cpuMs'),
  rss_mb_10k: m(vigil, 'rssMb'),
  net_detect_all_ms: m(net, 'allMs'),
  net_detect_p99_ms: m(net, 'p99Ms'),
  net_detect_cpu_ms: m(net, 'cpuMs'),
  net_rss_mb_10k: m(net, 'rssMb'),
  ratio_vs_net_p99: round(m(vigil, 'p99Ms') / m(net, 'p99Ms')),
  pool_cpu_pct: m(pools, 'cpuPct'),
  pool_polls_per_s: m(pools, 'pollsPerSec'),
  pool_inproc_cpu_pct: m(inproc, 'cpuPct'),
  pool_rss_mb: m(pools, 'rssMb'),
});
