// One measurement of the connection benchmark, in its own process; prints one JSON line.
//   load <vigil|ioredis|ioredis-auto> <port> <durationMs> <callers>
//   queued <count>
import { createRedisClient } from '@vigil/resilience';
import { Redis } from 'ioredis';
import { gc } from '../lib/child.js';
import { freePort } from './redis-server.js';

const [mode, ...args] = process.argv.slice(2);
const WARMUP_MS = 1000;
const VALUE = 'v'.repeat(32);

interface Client {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  close(): Promise<unknown>;
}

function client(kind: string, port: number): Client {
  if (kind === 'vigil') {
    const c = createRedisClient({ port });
    return {
      set: (key, value) => c.command(['SET', key, value]),
      get: (key) => c.command(['GET', key]),
      close: () => c.close(),
    };
  }
  const r = new Redis({ port, enableAutoPipelining: kind === 'ioredis-auto' });
  return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.quit() };
}

async function load(
  kind: string,
  port: number,
  durationMs: number,
  callers: number,
): Promise<void> {
  const c = client(kind, port);
  await c.get('warm');
  let samples = new Float64Array(1 << 20);
  let count = 0;
  let recording = false;
  let running = true;
  const record = (ms: number): void => {
    if (!recording) return;
    if (count === samples.length) {
      const next = new Float64Array(samples.length * 2);
      next.set(samples);
      samples = next;
    }
    samples[count++] = ms;
  };
  const caller = async (i: number): Promise<void> => {
    const key = `bench:${i}`;
    while (running) {
      const t0 = performance.now();
      await c.set(key, VALUE);
      const t1 = performance.now();
      record(t1 - t0);
      await c.get(key);
      record(performance.now() - t1);
    }
  };
  const all = Array.from({ length: callers }, (_, i) => caller(i));
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  recording = true;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, durationMs));
  recording = false;
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  running = false;
  await Promise.all(all);
  await c.close();
  const sorted = samples.subarray(0, count).sort();
  const at = (q: number): number => sorted[Math.min(count - 1, Math.ceil(q * count) - 1)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({
      ops: (count / elapsed) * 1000,
      p50: at(0.5),
      p99: at(0.99),
      cpuPct: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
    })}\n`,
  );
}

async function queued(count: number): Promise<void> {
  // Nothing listens on this port: the client keeps reconnecting and every command waits in its queue.
  const port = await freePort();
  const c = createRedisClient({ port, maxQueue: count, requestTimeoutMs: Infinity });
  c.on('error', () => undefined);
  const keys = Array.from({ length: count }, (_, i) => `key:${i}`);
  gc();
  gc();
  const before = process.memoryUsage();
  const pending = new Array<Promise<unknown>>(count);
  for (let i = 0; i < count; i++) pending[i] = c.command(['SET', keys[i] as string, VALUE]);
  gc();
  gc();
  const after = process.memoryUsage();
  if (c.stats.queued !== count) throw new Error(`expected ${count} queued, got ${c.stats.queued}`);
  for (const p of pending) p.catch(() => undefined);
  await c.close({ force: true });
  process.stdout.write(
    `${JSON.stringify({
      heapMb: (after.heapUsed - before.heapUsed) / 1024 / 1024,
      rssMb: (after.rss - before.rss) / 1024 / 1024,
    })}\n`,
  );
}

if (mode === 'load') {
  const [kind = 'vigil', port = '6379', durationMs = '10000', callers = '50'] = args;
  await load(kind, Number(port), Number(durationMs), Number(callers));
} else if (mode === 'queued') {
  await queued(Number(args[0] ?? 100_000));
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
