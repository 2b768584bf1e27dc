// One round of the health benchmark, in its own process; prints one JSON line.
//   detect <n> <vigil|net>: n persistent TCP health checkers (or, as the baseline, n bare sockets)
//               against 4 listener processes of 5 ports each; the listeners close every connection at
//               once; time each onDisconnect from the close command; RSS with the n connected.
//   pool <n> <stub|inproc>: a ProviderPool of n providers polled every second, against a stub process
//               (a line protocol over a few persistent connections) or an in-process value; CPU of this
//               process over a steady window.
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  Deque,
  constant,
  createDynamicSupervisor,
  createHealthChecker,
  createProviderPool,
} from '@vigil/resilience';
import { gc, nodeArgs } from '../lib/child.js';
import { mb, quantile, round } from '../lib/stats.js';

const [mode, ...args] = process.argv.slice(2);
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the message shape
function start<T>(script: string, argv: string[]): Promise<{ child: ChildProcess; message: T }> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), argv, {
    execArgv: nodeArgs(),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, message: message as T }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  done: () => boolean,
  timeoutMs: number,
  what: string,
  progress?: () => string,
): Promise<void> {
  const t0 = performance.now();
  let reported = t0;
  while (!done()) {
    const now = performance.now();
    if (now - t0 > timeoutMs)
      throw new Error(`timed out waiting for ${what}: ${progress?.() ?? ''}`);
    if (progress !== undefined && now - reported > 5000) {
      reported = now;
      process.stderr.write(`  waiting for ${what}: ${progress()}\n`);
    }
    await sleep(20);
  }
}

/** What is watched: a Vigil checker, or (the baseline) a bare socket with a close listener. */
type Watch = (port: number, onUp: () => void, onDown: () => void) => Promise<void>;

async function detect(n: number, kind: string): Promise<void> {
  const listeners = await Promise.all(
    Array.from({ length: 4 }, () => start<{ ports: number[] }>('./listener.ts', ['5'])),
  );
  const ports = listeners.flatMap((l) => l.message.ports);
  const sup = createDynamicSupervisor({ id: 'bench' });
  await sup.start();
  const sockets: Socket[] = [];
  const errors = new Map<string, number>();
  const code = (e: unknown) => String((e as { code?: string } | undefined)?.code ?? e);
  let nextId = 0;
  const watch: Watch =
    kind === 'net'
      ? (port, onUp, onDown) => {
          const socket = connect({ host: '127.0.0.1', port, noDelay: true, keepAlive: true });
          socket
            .on('connect', onUp)
            .on('close', onDown)
            .on('error', () => undefined)
            .resume();
          sockets.push(socket);
          return Promise.resolve();
        }
      : async (port, onUp, onDown) => {
          const checker = createHealthChecker({
            id: `c${nextId++}`,
            host: '127.0.0.1',
            port,
            retry: constant(1000),
            afterFailure: 'keep-trying',
            onConnect: onUp,
            onDisconnect: (s) => {
              if (!armed) errors.set(code(s.lastError), (errors.get(code(s.lastError)) ?? 0) + 1);
              onDown();
            },
          });
          await sup.startChild({ id: checker.id, task: checker });
        };
  const lostAt = new Float64Array(n);
  const up = new Uint8Array(n);
  let connected = 0; // up right now
  let lost = 0;
  let armed = false; // a connect that fails under load (and is retried) is not what we time
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const slot = i;
    // Let I/O in every 100 starts, as an application starting thousands of checkers should.
    if (i % 100 === 0) await new Promise(setImmediate);
    await watch(
      ports[i % ports.length]!,
      () => {
        up[slot] = 1;
        connected++;
      },
      () => {
        if (up[slot] === 1) connected--;
        up[slot] = 0;
        if (!armed || lostAt[slot] !== 0) return;
        lostAt[slot] = performance.now();
        lost++;
      },
    );
  }
  await until(
    () => connected === n,
    120_000,
    `${n} connections`,
    () => `${connected} up; ${JSON.stringify([...errors])}`,
  );
  const connectMs = performance.now() - t0;
  gc();
  await sleep(200);
  gc();
  const rssMb = mb(process.memoryUsage().rss);
  const heapMb = mb(process.memoryUsage().heapUsed);
  armed = true;
  const cpu0 = process.cpuUsage();
  const closedAt = performance.now();
  for (const l of listeners) l.child.send('close');
  await until(() => lost === n, 10_000, `${n} disconnects`).catch(() => undefined);
  const cpu = process.cpuUsage(cpu0); // this process's CPU time to take in every close: load-proof
  const latencies = Array.from(lostAt, (t) => (t === 0 ? Infinity : t - closedAt));
  await sup.stop();
  for (const socket of sockets) socket.destroy();
  process.stdout.write(
    `${JSON.stringify({
      kind,
      n,
      lost,
      connectMs: round(connectMs),
      rssMb,
      heapMb,
      cpuMs: round((cpu.user + cpu.system) / 1000),
      allMs: round(Math.max(...latencies)),
      p99Ms: round(quantile(latencies, 0.99)),
      p50Ms: round(quantile(latencies, 0.5)),
    })}\n`,
  );
}

/** A client of the stub: requests pipelined over a few connections, replies matched in order. */
async function stubClient(port: number, connections: number) {
  const sockets: { socket: Socket; waiting: Deque<(price: number) => void> }[] = [];
  for (let i = 0; i < connections; i++) {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    const waiting = new Deque<(price: number) => void>();
    let rest = '';
    socket.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) waiting.shift()?.(Number(line));
    });
    sockets.push({ socket, waiting });
  }
  let next = 0;
  return {
    price(id: string): Promise<number> {
      const c = sockets[next++ % sockets.length]!;
      return new Promise((resolve) => {
        c.waiting.push(resolve);
        c.socket.write(`${id}\n`);
      });
    },
    close: () => sockets.forEach((c) => c.socket.destroy()),
  };
}

async function pool(n: number, target: string): Promise<void> {
  const stub = target === 'stub' ? await start<{ port: number }>('./stub.ts', []) : undefined;
  const client = stub === undefined ? undefined : await stubClient(stub.message.port, 8);
  const providers = Array.from({ length: n }, (_, i) => `store-${i}`);
  let polls = 0;
  const p = createProviderPool<string, number>({
    id: 'bench',
    providers,
    periodMs: 1000,
    poll: (id) => {
      polls++;
      return client === undefined ? Promise.resolve(100) : client.price(id);
    },
  });
  await p.start();
  await sleep(2500); // every provider admitted, the rhythm settled
  const allowed = p.values().length;
  const polls0 = polls;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(6000);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const pollsPerSec = ((polls - polls0) / wallMs) * 1000;
  await p.stop();
  client?.close();
  process.stdout.write(
    `${JSON.stringify({
      n,
      allowed,
      pollsPerSec: round(pollsPerSec),
      cpuPct: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      rssMb: mb(process.memoryUsage().rss),
    })}\n`,
  );
}

if (mode === 'detect') await detect(Number(args[0]), args[1] ?? 'vigil');
else if (mode === 'pool') await pool(Number(args[0]), args[1] ?? 'stub');
else throw new Error(`unknown mode ${mode}`);
process.exit(0);
