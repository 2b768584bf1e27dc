// npm run bench -- alerting
// The real pipeline — router → outbox (SQLite, same transaction as the change) → delivery worker → a test
// webhook notifier — against a receiver in its own process on loopback.
// 1. State change → webhook received: p99 < 100 ms (sequential changes, grouping off).
// 2. 1,000 monitors down at once, grouped (groupWait 2 s): one message per rule within groupWait + 100 ms.
// 3. 1,000 monitors down at once, grouping off, no rate limit: all delivered within 5 s.
// 4. 300 monitors down at once, rate limit 100/s: never more than 100 in any second.
// None lost in any of them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom, systemClock } from '@vigil/resilience';
import { nodeArgs } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import {
  bindNotifiers,
  createAlertRouter,
  createDeliveryWorker,
} from '../../packages/server/src/alerting/index.js';
import { checkKinds } from '../../packages/server/src/checks/index.js';
import { loadConfig } from '../../packages/server/src/config/index.js';
import { openSqliteStore, resolveRetention } from '../../packages/server/src/store/index.js';
import { testNotifierTypes } from '../../packages/server/test/alert-receiver.js';
import { changed } from '../../packages/server/test/store-events.js';

const LAT = 200;
const BURST = 1000;
const RATE = 300;
const RATE_MAX = 100;
const GROUP_WAIT_MS = 2000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

// --- the receiver, in its own process ---------------------------------------------------------------
const child = spawn(
  process.execPath,
  [...nodeArgs(), fileURLToPath(new URL('./receiver.ts', import.meta.url))],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
/** Arrivals by monitor id (wall ms), and requests (arrival, monitor ids). */
const arrivals = new Map<string, number[]>();
const requests: { at: number; ids: string[] }[] = [];
const waiters: (() => void)[] = [];
const port = await new Promise<number>((resolve) => {
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const [tag, a, b] = line.split(' ');
      if (tag === 'L') resolve(Number(a));
      if (tag === 'R') {
        const at = Number(a);
        const ids = (b ?? '').split(',');
        requests.push({ at, ids });
        for (const id of ids) arrivals.set(id, [...(arrivals.get(id) ?? []), at]);
        for (const w of waiters.splice(0)) w();
      }
    }
  });
});
const url = `http://127.0.0.1:${port}/alerts`;

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    const left = end - performance.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, Math.min(left, 50));
    });
  }
  return true;
}

// --- the pipeline ---------------------------------------------------------------------------------
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const monitorsOf = (group: string, list: string[]) =>
  list
    .map((id) => `  - { id: ${id}, group: ${group}, tcp: { host: 127.0.0.1, port: 1 } }`)
    .join('\n');

async function pipeline(round: number) {
  const p = `r${round}-`;
  const yaml = `monitors:
${monitorsOf('lat', ids(`${p}lat`, LAT))}
${monitorsOf('grouped', ids(`${p}grp`, BURST))}
${monitorsOf('burst', ids(`${p}bst`, BURST))}
${monitorsOf('rate', ids(`${p}rt`, RATE))}
notifiers:
  - { id: lat, type: test-webhook, url: "${url}" }
  - { id: grouped, type: test-webhook, url: "${url}" }
  - { id: burst, type: test-webhook, url: "${url}", concurrency: 64 }
  - { id: rate, type: test-webhook, url: "${url}", concurrency: 16, rateLimit: { max: ${RATE_MAX}, per: 1s } }
alerts:
  - { name: lat, match: { groups: [lat] }, notifiers: [lat] }
  - { name: grouped, match: { groups: [grouped] }, notifiers: [grouped], groupWait: ${GROUP_WAIT_MS}ms }
  - { name: burst, match: { groups: [burst] }, notifiers: [burst] }
  - { name: rate, match: { groups: [rate] }, notifiers: [rate] }
`;
  const config = loadConfig(yaml, {
    file: 'bench.yaml',
    dir: '.',
    env: {},
    kinds: checkKinds,
    notifierTypes: testNotifierTypes,
  });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerting-'));
  const store = await openSqliteStore({
    path: join(dir, 'vigil.db'),
    clock: systemClock,
    retention: resolveRetention({}),
    pruneIntervalMs: null,
  });
  await store.syncMonitors(config.monitors);
  if (process.env.BENCH_DEBUG === '1') {
    const o = store.outbox as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    for (const name of ['claim', 'settle', 'enqueue', 'list']) {
      const f = o[name]?.bind(o);
      if (f === undefined) continue;
      let n = 0;
      let ms = 0;
      o[name] = async (...a: unknown[]) => {
        const t = performance.now();
        try {
          return await f(...a);
        } finally {
          n++;
          ms += performance.now() - t;
          if (name === 'claim' && process.env.BENCH_DEBUG_CLAIMS === '1')
            note(
              `claim at ${Math.round(wall() % 100_000)} took ${Math.round(performance.now() - t)} ms`,
            );
          if (performance.now() - t > 50)
            note(
              `${name} took ${Math.round(performance.now() - t)} ms at ${Math.round(wall() % 100_000)}`,
            );
          if (n % 50 === 0) note(`${name}: ${n} calls, ${Math.round(ms)} ms`);
        }
      };
    }
  }
  const worker = createDeliveryWorker({
    outbox: store.outbox,
    notifiers: bindNotifiers(config.notifiers, testNotifierTypes),
    clock: systemClock,
    random: seededRandom(round),
    onError: (e) => note(`worker: ${(e as Error).message}`),
  });
  const router = createAlertRouter({
    clock: systemClock,
    config,
    enqueue: (id, intents) => store.outbox.enqueue(id, intents),
  });
  await worker.start();
  /** What the app does on a change: intents in the change's transaction, then wake the worker. */
  const down = async (id: string): Promise<void> => {
    const event = changed(id, 'up', 'down', systemClock.now());
    const intents = router.onChange(event);
    await store.recordChange(event, intents);
    worker.wake(Math.min(...intents.map((i) => i.notBefore ?? 0)));
  };
  return {
    down,
    async close() {
      router.close();
      await worker.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const wall = () => performance.timeOrigin + performance.now();
const p99s: number[] = [];
const grouped: number[] = [];
const groupedMessages: number[] = [];
const bursts: number[] = [];
const rateWorst: number[] = [];
let lost = 0;

for (let r = 0; r < rounds; r++) {
  const pl = await pipeline(r);
  // 1. Latency, one change at a time.
  const lat: number[] = [];
  for (const id of ids(`r${r}-lat`, LAT)) {
    const t = wall();
    await pl.down(id);
    await until(() => arrivals.has(id), 5000);
    const at = arrivals.get(id)?.[0];
    if (at !== undefined) lat.push(at - t);
  }
  lat.sort((a, b) => a - b);
  const p99 = lat[Math.ceil(lat.length * 0.99) - 1] ?? Infinity;
  p99s.push(p99);
  lost += LAT - lat.length;
  note(`round ${r + 1}: change → webhook p50 ${round(median(lat))} ms, p99 ${round(p99)} ms`);

  // 2. 1,000 down at once, grouped.
  const grp = ids(`r${r}-grp`, BURST);
  const before = requests.length;
  let t0 = wall();
  if (process.env.BENCH_DEBUG === '1') note(`grouped starts at ${Math.round(t0 % 100_000)}`);
  await Promise.all(grp.map((id) => pl.down(id)));
  note(`round ${r + 1}: 1,000 changes with their intents durable after ${round(wall() - t0)} ms`);
  await until(() => grp.every((id) => arrivals.has(id)), GROUP_WAIT_MS + 30_000);
  const groupDone = Math.max(...grp.map((id) => arrivals.get(id)?.[0] ?? Infinity)) - t0;
  const msgs = requests.slice(before).filter((q) => q.ids[0]?.startsWith(`r${r}-grp`)).length;
  grouped.push(groupDone);
  groupedMessages.push(msgs);
  lost += grp.filter((id) => !arrivals.has(id)).length;
  note(
    `round ${r + 1}: 1,000 down, grouped: ${msgs} message(s), all in ${round(groupDone)} ms (groupWait ${GROUP_WAIT_MS} ms)`,
  );

  // 3. 1,000 down at once, grouping off, no rate limit.
  const bst = ids(`r${r}-bst`, BURST);
  t0 = wall();
  await Promise.all(bst.map((id) => pl.down(id)));
  note(`round ${r + 1}: 1,000 changes with their intents durable after ${round(wall() - t0)} ms`);
  await until(() => bst.every((id) => arrivals.has(id)), 60_000);
  const burstDone = Math.max(...bst.map((id) => arrivals.get(id)?.[0] ?? Infinity)) - t0;
  bursts.push(burstDone);
  lost += bst.filter((id) => !arrivals.has(id)).length;
  note(`round ${r + 1}: 1,000 down, one message each: all in ${round(burstDone)} ms`);

  // 4. Rate limited.
  const rt = ids(`r${r}-rt`, RATE);
  t0 = wall();
  await Promise.all(rt.map((id) => pl.down(id)));
  await until(() => rt.every((id) => arrivals.has(id)), 60_000);
  const times = rt.map((id) => arrivals.get(id)?.[0] ?? Infinity).sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1000) j++;
    worst = Math.max(worst, i - j + 1);
  }
  rateWorst.push(worst);
  lost += rt.filter((id) => !arrivals.has(id)).length;
  note(
    `round ${r + 1}: ${RATE} down, limit ${RATE_MAX}/s: at most ${worst} in any second, all in ${round((times.at(-1) ?? 0) - t0)} ms`,
  );
  await pl.close();
}

const duplicates = [...arrivals.values()].filter((a) => a.length > 1).length;
child.kill('SIGTERM');
report('alerting', {
  webhook_p99_ms: round(median(p99s)),
  grouped_ms: round(median(grouped)),
  grouped_over_wait_ms: round(median(grouped) - GROUP_WAIT_MS),
  grouped_messages: Math.max(...groupedMessages),
  burst_1000_ms: round(median(bursts)),
  rate_limit_per_s: RATE_MAX,
  rate_worst_per_s: Math.max(...rateWorst),
  duplicates,
  lost,
});
