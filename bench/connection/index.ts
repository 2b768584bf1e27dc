// npm run bench -- connection
// 1. 50 concurrent callers doing SET/GET through one connection for 10 s: ops/s and p99 latency of Vigil's
//    RedisClient, ioredis (default) and ioredis with enableAutoPipelining, each in a process of its own,
//    against a private redis-server (also its own process). Rounds alternate the order of the clients.
// 2. Memory of 100,000 commands queued while disconnected (heap growth after GC, keys included).
import { fileURLToPath } from 'node:url';
import { runChild } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import { startRedis } from './redis-server.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const callers = 50;
const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
const kinds = ['vigil', 'ioredis', 'ioredis-auto'] as const;

interface Load {
  ops: number;
  p50: number;
  p99: number;
  cpuPct: number;
}

const redis = await startRedis();
const results: Record<(typeof kinds)[number], Load[]> = {
  vigil: [],
  ioredis: [],
  'ioredis-auto': [],
};
try {
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(k + r) % kinds.length] as (typeof kinds)[number];
      const load = runChild<Load>(script, [
        'load',
        kind,
        String(redis.port),
        String(durationMs),
        String(callers),
      ]);
      note(
        `round ${r + 1} ${kind.padEnd(12)} ${Math.round(load.ops)} ops/s, p50 ${round(load.p50, 3)} ms, p99 ${round(load.p99, 3)} ms, cpu ${Math.round(load.cpuPct)}%`,
      );
      results[kind].push(load);
    }
  }
} finally {
  await redis.stop();
}

const queued = [1, 2, 3].map(() =>
  runChild<{ heapMb: number; rssMb: number }>(script, ['queued', '100000']),
);
note(
  `100,000 queued while disconnected: heap ${queued.map((q) => round(q.heapMb, 1)).join(', ')} MB`,
);

const ops = (k: (typeof kinds)[number]): number => median(results[k].map((l) => l.ops));
const p99 = (k: (typeof kinds)[number]): number => median(results[k].map((l) => l.p99));
report('connection', {
  vigil_ops_s: Math.round(ops('vigil')),
  ioredis_ops_s: Math.round(ops('ioredis')),
  ioredis_auto_ops_s: Math.round(ops('ioredis-auto')),
  ratio_vs_ioredis: round(ops('vigil') / ops('ioredis')),
  ratio_vs_ioredis_auto: round(ops('vigil') / ops('ioredis-auto')),
  vigil_p99_ms: round(p99('vigil'), 3),
  ioredis_p99_ms: round(p99('ioredis'), 3),
  ioredis_auto_p99_ms: round(p99('ioredis-auto'), 3),
  queued_100k_mb: round(median(queued.map((q) => q.heapMb)), 1),
});
