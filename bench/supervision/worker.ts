// One round of the supervision benchmark, in its own process; prints one JSON line.
import { createDynamicSupervisor, type TaskContext } from '@vigil/resilience';
import { gc } from '../lib/child.js';
import { mb, quantile, round } from '../lib/stats.js';

const [mode, ...args] = process.argv.slice(2);

/** A task that runs until stopped, hearing of its stop through the cheap `onStop` or through `signal`. */
const idleOnStop = (ctx: TaskContext): Promise<void> =>
  new Promise((resolve) => ctx.onStop(resolve));
const idleSignal = (ctx: TaskContext): Promise<void> =>
  new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));

async function start(count: number, listen: string): Promise<void> {
  const idle = listen === 'signal' ? idleSignal : idleOnStop;
  const sup = createDynamicSupervisor({ id: 'bench' });
  await sup.start();
  gc();
  const t0 = performance.now();
  const started = new Array<Promise<string>>(count);
  for (let i = 0; i < count; i++) started[i] = sup.startChild({ task: idle });
  await Promise.all(started);
  const ms = performance.now() - t0;
  const rssMb = mb(process.memoryUsage().rss);
  if (sup.countChildren().active !== count) throw new Error('not every child is running');
  await sup.stop();
  process.stdout.write(`${JSON.stringify({ ms, rssMb })}\n`);
}

async function restart(durationMs: number, perSecond: number): Promise<void> {
  const children = 200;
  const sup = createDynamicSupervisor({ id: 'bench', intensity: perSecond * 10, periodMs: 5000 });
  await sup.start();
  const crashers = new Array<(error: Error) => void>(children);
  let crashedAt = new Float64Array(children);
  const latencies: number[] = [];
  for (let i = 0; i < children; i++) {
    const slot = i;
    await sup.startChild({
      id: `c${slot}`,
      task: (ctx) =>
        new Promise<void>((resolve, reject) => {
          if (crashedAt[slot]! > 0) {
            latencies.push(performance.now() - crashedAt[slot]!);
            crashedAt[slot] = 0;
          }
          crashers[slot] = reject;
          ctx.onStop(resolve);
        }),
    });
  }
  const batch = perSecond / 100; // crashes every 10 ms
  let next = 0;
  let crashes = 0;
  const sample = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  let heapAt2s = 0;
  let rssAt2s = 0;
  const t0 = performance.now();
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - t0;
      if (elapsed >= durationMs) {
        clearInterval(tick);
        done();
        return;
      }
      if (heapAt2s === 0 && elapsed >= 2000) {
        heapAt2s = sample();
        rssAt2s = process.memoryUsage().rss;
      }
      for (let k = 0; k < batch; k++) {
        const slot = next++ % children;
        crashedAt[slot] = performance.now();
        crashes++;
        crashers[slot]!(new Error('crash'));
      }
    }, 10);
  });
  await new Promise((r) => setTimeout(r, 50));
  const heapGrowthMb = mb(sample() - heapAt2s);
  const rssGrowthMb = mb(process.memoryUsage().rss - rssAt2s);
  crashedAt = new Float64Array(0);
  await sup.stop();
  process.stdout.write(
    `${JSON.stringify({
      crashes,
      p50: round(quantile(latencies, 0.5), 3),
      p99: round(quantile(latencies, 0.99), 3),
      max: round(Math.max(...latencies), 3),
      heapGrowthMb,
      rssGrowthMb,
    })}\n`,
  );
}

if (mode === 'start') await start(Number(args[0]), args[1] ?? 'onStop');
else if (mode === 'restart') await restart(Number(args[0]), Number(args[1]));
else throw new Error(`unknown mode ${mode}`);
