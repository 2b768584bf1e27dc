import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPort,
  lineCodec,
  onLines,
  startPeer,
  tick,
  until,
  type Peer,
} from '../../test/net-peer.js';
import { constant } from '../backoff/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { seededRandom } from '../clock/index.js';
import { hasErrorCode } from '../errors/index.js';
import { createSupervisor } from '../supervision/index.js';
import { createConnection, type Connection } from './connection.js';
import type { ConnectionEvents } from './events.js';
import type { ConnectionOptions } from './options.js';

/** An echo peer: answers each line `x` with `re:x`; `hold` lines are never answered. */
const echo = (socket: Socket): void =>
  onLines(socket, (line) => {
    if (!line.startsWith('hold')) socket.write(`re:${line}\n`);
  });

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function peer(handler?: (socket: Socket, peer: Peer) => void): Promise<Peer> {
  const p = await startPeer(handler);
  cleanup.push(() => p.close());
  return p;
}

function connection(
  options: Partial<ConnectionOptions<string, string>> & { port: number },
): Connection<string, string> {
  const c = createConnection<string, string>({ codec: lineCodec, ...options });
  cleanup.push(() => c.close({ force: true }));
  return c;
}

/** Records every event, in order, as `name` or `name:detail`. */
function record(c: Connection<string, string>): string[] {
  const log: string[] = [];
  const names: (keyof ConnectionEvents)[] = [
    'connecting',
    'connected',
    'disconnected',
    'reconnecting',
    'error',
    'closed',
  ];
  for (const name of names) {
    c.on(name, (e) => {
      if (name === 'reconnecting') {
        const r = e as ConnectionEvents['reconnecting'];
        log.push(`reconnecting:${r.attempt}:${r.delayMs}`);
      } else {
        log.push(name);
      }
    });
  }
  return log;
}

describe('Connection: connecting and requests', () => {
  it('returns at once, connects in the background, and sends requests queued meanwhile', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port });
    expect(c.state).toBe('connecting');
    const replies = Promise.all([c.request('a'), c.request('b')]);
    expect(c.stats.queued).toBe(2);
    expect(await replies).toEqual(['re:a', 're:b']);
    expect(c.state).toBe('connected');
    expect(c.where).toBe(`127.0.0.1:${p.port}`);
  });

  it('pipelines: requests of the same tick leave in one write, replies match in FIFO order', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port });
    await c.request('warm');
    const before = p.chunks.length;
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.request(`r${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `re:r${i}`));
    expect(p.chunks.length - before).toBe(1);
  });

  it('matches replies in order even when the peer answers in one burst later', async () => {
    const lines: string[] = [];
    let server: Socket | undefined;
    const p = await peer((socket) => {
      server = socket;
      onLines(socket, (line) => lines.push(line));
    });
    const c = connection({ port: p.port });
    const replies = Promise.all(['x', 'y', 'z'].map((r) => c.request(r)));
    await until(() => lines.length === 3);
    server?.write('1\n2\n3\n');
    expect(await replies).toEqual(['1', '2', '3']);
  });

  it('rejects a request with the codec reply error and carries on', async () => {
    const p = await peer((socket) =>
      onLines(socket, (line) => socket.write(line === 'bad' ? 'ERR nope\n' : `ok\n`)),
    );
    const c = connection({ port: p.port });
    await expect(c.request('bad')).rejects.toThrow('ERR nope');
    await expect(c.request('good')).resolves.toBe('ok');
  });

  it('rejects a request the codec cannot encode, alone', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port });
    await c.request('warm');
    const [bad, good] = await Promise.allSettled([c.request('a\nb'), c.request('c')]);
    expect(bad.status === 'rejected' && bad.reason instanceof TypeError).toBe(true);
    expect(good).toEqual({ status: 'fulfilled', value: 're:c' });
  });

  it('with autoConnect false stays idle until connect()', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, autoConnect: false });
    expect(c.state).toBe('idle');
    const reply = c.request('a');
    await tick(20);
    expect(p.sockets).toHaveLength(0);
    c.connect();
    expect(await reply).toBe('re:a');
    c.connect(); // no-op while connected
    expect(p.sockets).toHaveLength(1);
  });

  it('runs the handshake on every connect, before queued requests go out', async () => {
    const p = await peer(echo);
    const seen: string[] = [];
    const c = connection({
      port: p.port,
      reconnect: constant(1),
      handshake: async (session) => {
        seen.push(await session.request(`auth#${session.attempt}`));
        seen.push(await session.request('select'));
      },
    });
    expect(await c.request('first')).toBe('re:first');
    p.dropAll();
    await until(() => c.state !== 'connected');
    expect(await c.request('second')).toBe('re:second');
    expect(seen).toEqual(['re:auth#1', 're:select', 're:auth#2', 're:select']);
    expect(p.received()).toBe('auth#1\nselect\nfirst\nauth#2\nselect\nsecond\n');
  });

  it('a failing handshake fails the attempt: error event, backoff, retry', async () => {
    const p = await peer(echo);
    let tries = 0;
    const errors: string[] = [];
    const c = connection({
      port: p.port,
      reconnect: constant(1),
      handshake: async (session) => {
        if (++tries < 3) throw new Error(`WRONGPASS #${tries}`);
        await session.request('auth');
      },
    });
    c.on('error', (e) => errors.push(e.error.message));
    expect(await c.request('a')).toBe('re:a');
    expect(errors).toEqual(['WRONGPASS #1', 'WRONGPASS #2']);
  });

  it('a handshake that throws synchronously or rejects a non-Error is handled too', async () => {
    const p = await peer(echo);
    let tries = 0;
    const errors: string[] = [];
    const c = connection({
      port: p.port,
      reconnect: constant(1),
      handshake: () => {
        tries++;
        if (tries === 1) throw new Error('sync');
        if (tries === 2) return Promise.reject('text');
        return Promise.resolve();
      },
    });
    c.on('error', (e) => errors.push(e.error.message));
    expect(await c.request('a')).toBe('re:a');
    expect(errors).toEqual(['sync', 'text']);
  });
});

describe('Connection: disconnects and the offline queue', () => {
  it('fails written requests with CONNECTION_LOST, keeps unsent ones for the next connection', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, reconnect: constant(20) });
    const log = record(c);
    await c.request('warm');
    const written = c.request('hold-1');
    await until(() => p.received().includes('hold-1'));
    p.dropAll();
    const error: unknown = await written.catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CONNECTION_LOST')).toBe(true);
    expect((error as Error).message).toMatch(/may have run it/);
    // Sent while down: queued, then sent on the new connection, in order.
    const queued = Promise.all([c.request('q1'), c.request('q2')]);
    expect(c.stats.queued).toBe(2);
    expect(await queued).toEqual(['re:q1', 're:q2']);
    expect(p.received().match(/hold-1/g)).toHaveLength(1); // never resent
    expect(log).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'reconnecting:1:20',
      'connecting',
      'connected',
    ]);
  });

  it('reports the drop with the number of requests failed and still queued', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, reconnect: constant(50) });
    const drops: ConnectionEvents['disconnected'][] = [];
    c.on('disconnected', (e) => drops.push(e));
    await c.request('warm');
    const held = [c.request('hold-a'), c.request('hold-b')];
    await until(() => p.received().includes('hold-b'));
    p.dropAll();
    await Promise.allSettled(held);
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ inflight: 2, queued: 0 });
  });

  it('refuses requests at once with QUEUE_FULL past maxQueue while disconnected', async () => {
    const port = await closedPort();
    const c = connection({ port, maxQueue: 2, reconnect: constant(1000) });
    c.on('error', () => undefined);
    const first = [c.request('a'), c.request('b')];
    const error: unknown = await c.request('c').catch((e: unknown) => e);
    expect(hasErrorCode(error, 'QUEUE_FULL')).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    await c.close({ force: true });
    await Promise.allSettled(first);
  });

  it('with maxQueue 0 fails requests at once whenever they cannot be sent', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, maxQueue: 0 });
    await expect(c.request('a')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await until(() => c.state === 'connected');
    await expect(c.request('b')).resolves.toBe('re:b');
  });

  it('gives up when the reconnect policy says stop: CONNECT_FAILED for queued and later requests', async () => {
    const port = await closedPort();
    const c = connection({ port, reconnect: constant(1).withMaxRetries(2) });
    const log = record(c);
    const error: unknown = await c.request('a').catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CONNECT_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/after 3 attempts \(last: connect ECONNREFUSED/);
    expect(c.state).toBe('failed');
    await expect(c.request('b')).rejects.toBe(error);
    expect(log.filter((e) => e.startsWith('reconnecting'))).toEqual([
      'reconnecting:1:1',
      'reconnecting:2:1',
    ]);
    expect(log.slice(-2)).toEqual(['error', 'closed']);
    await c.close(); // closing a failed connection is a no-op
  });

  it('can be connected again after giving up', async () => {
    const port = await closedPort();
    const c = connection({ port, reconnect: constant(1).withMaxTries(1) });
    c.on('error', () => undefined);
    await until(() => c.state === 'failed');
    c.connect();
    expect(c.state).toBe('connecting');
  });
});

describe('Connection: timeouts (FakeClock)', () => {
  it('times out a sent request with REQUEST_TIMEOUT, drops its late reply, and stays in step', async () => {
    const clock = new FakeClock();
    // The peer answers `slow` late: just before its answer to `next`.
    const p = await peer((socket) => {
      onLines(socket, (line) => {
        if (line === 'next') socket.write('late reply to slow\n');
        if (line !== 'slow') socket.write(`re:${line}\n`);
      });
    });
    const c = connection({ port: p.port, clock, requestTimeoutMs: 1000 });
    await c.request('warm');
    const slow = c.request('slow');
    const slowResult = slow.catch((e: unknown) => e);
    await until(() => p.received().includes('slow'));
    await clock.advance(999);
    expect(c.stats.inflight).toBe(1);
    await clock.advance(1);
    const error = await slowResult;
    expect(hasErrorCode(error, 'REQUEST_TIMEOUT')).toBe(true);
    expect(error).toMatchObject({ sent: true, retryable: false, timeoutMs: 1000 });
    expect(await c.request('next')).toBe('re:next');
    expect(c.state).toBe('connected');
  });

  it('times out an unsent request as retryable, naming the connect error', async () => {
    const clock = new FakeClock();
    const port = await closedPort();
    const c = connection({ port, clock, requestTimeoutMs: 500, reconnect: constant(10_000) });
    c.on('error', () => undefined);
    await until(() => c.state === 'reconnecting');
    const pending = c.request('a').catch((e: unknown) => e);
    await clock.advance(500);
    const error = await pending;
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', sent: false, retryable: true });
    expect((error as Error).message).toMatch(
      /before it could be sent \(not connected: connect ECONNREFUSED/,
    );
    expect(c.stats.queued).toBe(0);
  });

  it('honours a per-request timeout and Infinity', async () => {
    const clock = new FakeClock();
    const p = await peer(echo);
    const c = connection({ port: p.port, clock, requestTimeoutMs: 1000, dropUnresponsive: false });
    await c.request('warm');
    const short = c.request('hold-short', { timeoutMs: 100 }).catch((e: unknown) => e);
    const never = c.request('hold-never', { timeoutMs: Infinity });
    let neverSettled = false;
    never.then(
      () => (neverSettled = true),
      () => (neverSettled = true),
    );
    await clock.advance(100);
    expect(await short).toMatchObject({ code: 'REQUEST_TIMEOUT', timeoutMs: 100 });
    await clock.advance(50_000);
    expect(neverSettled).toBe(false);
    expect(() => c.request('x', { timeoutMs: Number.NaN })).toThrow(/timeoutMs must be a number/);
  });

  it('drops a peer that stays silent past an overdue request, and reconnects', async () => {
    const clock = new FakeClock();
    const p = await peer((socket) =>
      onLines(socket, (line) => line === 'warm' && socket.write('ok\n')),
    );
    const c = connection({ port: p.port, clock, requestTimeoutMs: 1000, reconnect: constant(5) });
    const log = record(c);
    await c.request('warm');
    const a = c.request('a').catch((e: unknown) => e);
    await until(() => p.received().includes('a'));
    await clock.advance(1000);
    expect(await a).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(c.state).toBe('connected');
    await clock.advance(1000);
    await until(() => log.includes('disconnected'));
    expect(log).toContain('reconnecting:1:5');
  });

  it('keeps a silent peer with dropUnresponsive false', async () => {
    const clock = new FakeClock();
    const p = await peer((socket) =>
      onLines(socket, (line) => line === 'warm' && socket.write('ok\n')),
    );
    const c = connection({ port: p.port, clock, requestTimeoutMs: 1000, dropUnresponsive: false });
    await c.request('warm');
    const a = c.request('a').catch((e: unknown) => e);
    await until(() => p.received().includes('a'));
    await clock.advance(5000);
    expect(await a).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(c.state).toBe('connected');
  });

  it('times out a connect that never completes its handshake (connectTimeoutMs)', async () => {
    const clock = new FakeClock();
    const p = await peer(() => undefined);
    const c = connection({
      port: p.port,
      clock,
      connectTimeoutMs: 2000,
      reconnect: constant(100),
      handshake: async (session) => {
        await session.request('auth');
      },
    });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e.error));
    await until(() => p.received().includes('auth'));
    await clock.advance(2000);
    expect(errors[0]).toMatchObject({ code: 'TIMEOUT' });
    expect(errors[0]?.message).toMatch(/took longer than 2000 ms \(connectTimeoutMs\)/);
    expect(c.state).toBe('reconnecting');
  });

  it('uses the default reconnect policy: exponential from 50 ms with full jitter', async () => {
    const clock = new FakeClock();
    const port = await closedPort();
    const c = connection({ port, clock, random: seededRandom(7) });
    const delays: number[] = [];
    c.on('reconnecting', (e) => delays.push(e.delayMs));
    c.on('error', () => undefined);
    for (let i = 0; i < 4; i++) {
      await until(() => delays.length === i + 1);
      await clock.advance(delays[i] ?? 0);
    }
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(5000, 50 * 2 ** i));
    });
  });
});

describe('Connection: abort signals', () => {
  it('rejects at once for an aborted signal, and drops a queued request when aborted', async () => {
    const port = await closedPort();
    const c = connection({ port, reconnect: constant(10_000) });
    c.on('error', () => undefined);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(c.request('a', { signal: controller.signal })).rejects.toThrow('gone');
    const second = new AbortController();
    const queued = c.request('b', { signal: second.signal });
    expect(c.stats.queued).toBe(1);
    second.abort(new Error('cancelled'));
    await expect(queued).rejects.toThrow('cancelled');
    expect(c.stats.queued).toBe(0);
  });

  it('an aborted request in flight has its reply read and dropped', async () => {
    let server: Socket | undefined;
    const p = await peer((socket) => {
      server = socket;
    });
    const c = connection({ port: p.port });
    const controller = new AbortController();
    const first = c.request('one', { signal: controller.signal });
    const second = c.request('two');
    await until(() => p.received().includes('two'));
    controller.abort(new Error('stop'));
    await expect(first).rejects.toThrow('stop');
    server?.write('1\n2\n');
    expect(await second).toBe('2');
  });

  it('compacts the queue when many queued requests are abandoned', async () => {
    const clock = new FakeClock();
    const port = await closedPort();
    const c = connection({ port, clock, reconnect: constant(1e9), requestTimeoutMs: 100 });
    c.on('error', () => undefined);
    const all = Array.from({ length: 3000 }, (_, i) => c.request(`r${i}`).catch(() => undefined));
    await clock.advance(100);
    await Promise.all(all);
    expect(c.stats.queued).toBe(0);
    const later = c.request('later').catch((e: unknown) => e);
    expect(c.stats.queued).toBe(1);
    await c.close({ force: true });
    expect(await later).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

describe('Connection: close', () => {
  it('drains gracefully: refuses new requests, answers outstanding ones, then closes', async () => {
    let server: Socket | undefined;
    const p = await peer((socket) => {
      server = socket;
    });
    const c = connection({ port: p.port });
    const log = record(c);
    const a = c.request('a');
    await until(() => p.received().includes('a'));
    const closed = c.close();
    expect(c.state).toBe('closing');
    await expect(c.request('b')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    server?.write('done\n');
    expect(await a).toBe('done');
    await closed;
    expect(c.state).toBe('closed');
    expect(log.at(-1)).toBe('closed');
    await c.close();
  });

  it('forced, rejects everything outstanding with CONNECTION_CLOSED', async () => {
    const p = await peer(() => undefined);
    const c = connection({ port: p.port });
    const a = c.request('a').catch((e: unknown) => e);
    await until(() => p.received().includes('a'));
    const graceful = c.close();
    await c.close({ force: true });
    await graceful;
    expect(await a).toMatchObject({ code: 'CONNECTION_CLOSED', retryable: false });
  });

  it('forces after closeTimeoutMs (FakeClock)', async () => {
    const clock = new FakeClock();
    const p = await peer(() => undefined);
    const c = connection({ port: p.port, clock, closeTimeoutMs: 300, requestTimeoutMs: Infinity });
    const a = c.request('a').catch((e: unknown) => e);
    await until(() => p.received().includes('a'));
    const closed = c.close();
    await clock.advance(300);
    await closed;
    expect(await a).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('keeps reconnecting while draining queued requests', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, reconnect: constant(10) });
    await c.request('warm');
    p.dropAll();
    await until(() => c.state !== 'connected');
    const queued = c.request('q');
    const closed = c.close();
    expect(await queued).toBe('re:q');
    await closed;
    expect(c.state).toBe('closed');
  });

  it('closes an idle connection at once, and supports await using', async () => {
    const p = await peer(echo);
    const idle = connection({ port: p.port, autoConnect: false });
    await idle.close();
    expect(idle.state).toBe('closed');
    {
      await using c = createConnection({ codec: lineCodec, port: p.port });
      expect(await c.request('x')).toBe('re:x');
    }
  });
});

describe('Connection: supervision', () => {
  it('runs as a supervised task: starts with its supervisor and closes when stopped', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port, autoConnect: false });
    const sup = createSupervisor({
      id: 'app',
      strategy: 'one_for_one',
      children: [{ id: 'conn', task: c }],
    });
    await sup.start();
    expect(await c.request('a')).toBe('re:a');
    await sup.stop();
    expect(c.state).toBe('closed');
  });

  it('crashes when the reconnect policy gives up, so the supervisor restarts it', async () => {
    const port = await closedPort();
    const c = connection({ port, autoConnect: false, reconnect: constant(1).withMaxTries(2) });
    c.on('error', () => undefined);
    const sup = createSupervisor({
      id: 'app',
      strategy: 'one_for_one',
      intensity: 2,
      periodMs: 60_000,
      children: [{ id: 'conn', task: c }],
    });
    const restarts: string[] = [];
    sup.on('restarted', (e) => restarts.push(e.childId));
    await sup.start();
    const exit = await sup.done;
    expect(restarts).toEqual(['conn', 'conn']);
    expect(exit?.reason).toBe('crashed');
    expect(hasErrorCode((exit?.error as Error).cause, 'CONNECT_FAILED')).toBe(true);
  });

  it('refuses to run twice at once', async () => {
    const p = await peer(echo);
    const c = connection({ port: p.port });
    const ctx = {
      id: 'c',
      clock: new FakeClock(),
      signal: new AbortController().signal,
      onStop: () => () => undefined,
      ready: () => undefined,
    };
    const running = c.run(ctx);
    await expect(c.run(ctx)).rejects.toThrow(/already running/);
    await c.close();
    await running;
  });
});
