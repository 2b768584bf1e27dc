// npm run bench -- board
// 1. Bundle: the dashboard's JS + CSS, gzip (target < 300 KB).
// 2. 5,000 monitors: board first render, navigation → every tile painted, in headless Chromium (target < 1.5 s).
// 3. 500 WebSocket clients on the live feed while 10,000 monitors run: a status change (a push heartbeat turning
//    a monitor down, then up) reaches every client; p99 from the heartbeat request (target < 200 ms).
// The server and the monitors' TCP target run in processes of their own; Chromium is /usr/bin/chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import WebSocket from 'ws';
import { nodeArgs } from '../lib/child.js';
import { note, report } from '../lib/report.js';
import { median, quantile, round } from '../lib/stats.js';
import { FLIP_TOKEN } from './shared.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const ADMIN = { username: 'operator', password: 'board benchmark secret 42' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 500);
const FLIPS = Number(process.env.BENCH_FLIPS ?? 10);
/** Check interval of the monitors, s: first runs spread over monitors × 20 ms, capped at it. */
const INTERVAL_S = process.env.BENCH_INTERVAL_S ?? '300';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `script` in a fresh Node process and resolves with the JSON of its first stdout line. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape
async function child<T>(script: string, args: string[]): Promise<{ proc: ChildProcess; info: T }> {
  const proc = spawn(process.execPath, [...nodeArgs(), join(here, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password },
  });
  const info = await new Promise<T>((resolve, reject) => {
    let text = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line !== undefined) resolve(JSON.parse(line) as T);
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { proc, info };
}

async function stop(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return round(Number(match?.[1] ?? 0) / 1024, 1);
}

function bundleKbGz(): { kb: number; files: string[] } {
  const dir = join(root, 'packages', 'web', 'dist', 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  const bytes = files.reduce(
    (n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length,
    0,
  );
  return { kb: round(bytes / 1024, 1), files };
}

/** Navigation → first snapshot received, per render (the rest of a render is the browser's). */
const snapshots: number[] = [];

type Session = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Signs in once (sign-in is rate limited) and returns the cookies for fresh contexts. */
async function session(browser: Browser, url: string): Promise<Session> {
  const context = await browser.newContext({ baseURL: url });
  const login = await context.request.post('/api/v1/auth/login', { data: ADMIN });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Navigation → every tile painted (the page's `vigil:board-painted` mark), in a fresh context (cold cache). */
async function firstRender(
  browser: Browser,
  url: string,
  state: Session,
  path: string,
  shot?: string,
): Promise<number> {
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    baseURL: url,
    storageState: state,
  });
  const page = await context.newPage();
  await page.goto(path, { timeout: 60_000 });
  await page.waitForFunction(() => document.body.dataset.painted !== undefined, undefined, {
    timeout: 60_000,
  });
  const [ms, snapshotMs] = await page.evaluate(() =>
    ['vigil:board-painted', 'vigil:first-snapshot'].map(
      (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN,
    ),
  );
  snapshots.push(snapshotMs ?? Number.NaN);
  const tiles = await page.locator('.tile').count();
  if (shot !== undefined) await page.screenshot({ path: shot });
  await context.close();
  if (tiles < 5000) throw new Error(`only ${tiles} tiles painted`);
  return ms ?? Number.NaN;
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

interface Client {
  socket: WebSocket;
  /** The status the client is waiting to see for `flip`, and when it saw it. */
  seen: Map<number, number>;
}

async function wsLatency(url: string, serverPid: number) {
  const cookie = await signIn(url);
  const clients: Client[] = [];
  let flip = -1;
  let expected = '';
  let t0 = 0;
  const started = performance.now();
  for (let i = 0; i < CLIENTS; i += 25) {
    const batch = Array.from({ length: Math.min(25, CLIENTS - i) }, async () => {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`, {
        headers: { cookie },
      });
      const client: Client = { socket, seen: new Map() };
      socket.on('message', (data: Buffer) => {
        const text = data.toString();
        if (flip < 0 || client.seen.has(flip) || !text.includes('"id":"flip"')) return;
        const message = JSON.parse(text) as { monitors?: { id: string; status: string }[] };
        if (message.monitors?.find((m) => m.id === 'flip')?.status === expected)
          client.seen.set(flip, performance.now() - t0);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      clients.push(client);
    });
    await Promise.all(batch);
  }
  note(
    `board: ${clients.length} WebSocket clients connected in ${round(performance.now() - started, 0)} ms`,
  );
  await sleep(3000);
  const samples: number[] = [];
  let missed = 0;
  for (let k = 0; k < FLIPS; k++) {
    expected = k % 2 === 0 ? 'down' : 'up';
    flip = k;
    t0 = performance.now();
    const push = await fetch(`${url}/api/v1/push/${FLIP_TOKEN}?status=${expected}`);
    if (!push.ok) throw new Error(`push answered ${push.status}`);
    const deadline = performance.now() + 5000;
    while (clients.some((c) => !c.seen.has(k)) && performance.now() < deadline) await sleep(5);
    const got = clients.flatMap((c) => (c.seen.has(k) ? [c.seen.get(k) ?? 0] : []));
    missed += clients.length - got.length;
    samples.push(...got);
    note(
      `board: flip ${k + 1} (${expected}): ${got.length}/${clients.length} clients, p50 ${round(quantile(got, 0.5))} ms, max ${round(Math.max(...got))} ms`,
    );
    await sleep(1000);
  }
  const rss = rssMb(serverPid);
  for (const c of clients) c.socket.terminate();
  return {
    p99: round(quantile(samples, 0.99)),
    p50: round(quantile(samples, 0.5)),
    max: round(Math.max(...samples)),
    missed,
    rss,
  };
}

const bundle = bundleKbGz();
note(`board: bundle ${bundle.kb} KB gzip (${bundle.files.join(', ')})`);
const target = await child<{ open: number; closed: number }>('target.ts', []);
const ports = [String(target.info.open), String(target.info.closed)];
const browser = await chromium.launch({
  executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const skipRender = process.env.BENCH_SKIP_RENDER === '1';
  const small = await child<{ url: string; pid: number }>('server.ts', [
    '5000',
    INTERVAL_S,
    ...ports,
  ]);
  const state = await session(browser, small.info.url);
  const renders: number[] = [];
  const tvRenders: number[] = [];
  try {
    // A warm-up round, not counted: the server is still busy with its start (5,000 first checks).
    if (!skipRender) await firstRender(browser, small.info.url, state, '/');
    for (let i = 0; i < (skipRender ? 0 : ROUNDS); i++) {
      renders.push(await firstRender(browser, small.info.url, state, '/'));
      tvRenders.push(await firstRender(browser, small.info.url, state, '/tv'));
      note(
        `board: 5,000 monitors, round ${i + 1}: board ${round(renders[i] ?? 0, 0)} ms, TV ${round(tvRenders[i] ?? 0, 0)} ms (snapshots in at ${snapshots
          .slice(-2)
          .map((x) => round(x, 0))
          .join(' / ')} ms)`,
      );
    }
    if (process.env.BENCH_SHOTS !== '0' && !skipRender) {
      // The screenshots in docs/, once the first checks are in.
      await sleep(Number(process.env.BENCH_SHOT_WAIT_MS ?? 20_000));
      await firstRender(browser, small.info.url, state, '/', join(root, 'docs', 'board.png'));
      await firstRender(browser, small.info.url, state, '/tv', join(root, 'docs', 'board-tv.png'));
    }
  } finally {
    await stop(small.proc);
  }

  let ws = { p99: Number.NaN, p50: Number.NaN, max: Number.NaN, missed: 0, rss: Number.NaN };
  if (process.env.BENCH_SKIP_WS !== '1') {
    const big = await child<{ url: string; pid: number }>('server.ts', [
      '10000',
      INTERVAL_S,
      ...ports,
    ]);
    try {
      ws = await wsLatency(big.info.url, big.info.pid);
    } finally {
      await stop(big.proc);
    }
  }
  note(
    `board: live feed, ${CLIENTS} clients, 10,000 monitors: p50 ${ws.p50} ms, p99 ${ws.p99} ms, max ${ws.max} ms, missed ${ws.missed}, server RSS ${ws.rss} MB`,
  );
  report('board', {
    first_render_5000_ms: round(median(renders), 0),
    first_snapshot_5000_ms: round(median(snapshots.slice(1, 1 + 2 * ROUNDS)), 0),
    tv_first_render_5000_ms: round(median(tvRenders), 0),
    bundle_kb_gz: bundle.kb,
    ws_p99_ms: ws.p99,
    ws_p50_ms: ws.p50,
    ws_max_ms: ws.max,
    ws_clients: CLIENTS,
    ws_missed: ws.missed,
    ws_server_rss_mb: ws.rss,
  });
} finally {
  await browser.close();
  await stop(target.proc);
}
