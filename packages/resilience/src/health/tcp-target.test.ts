import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { constant } from '../backoff/index.js';
import { hasErrorCode } from '../errors/index.js';
import { createHealthChecker, type HealthChecker } from './health-checker.js';
import type { HealthEvents, HealthSnapshot, TcpHealthOptions } from './health-types.js';

/** A local TCP peer; `reply` decides what it answers to each chunk (nothing by default). */
async function peer(reply?: (data: Buffer) => string | undefined): Promise<{
  server: Server;
  port: number;
  sockets: Socket[];
}> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      const answer = reply?.(data);
      if (answer !== undefined) socket.write(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

function close(server: Server, sockets: Socket[]): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const { server, port, sockets } = await peer();
  await close(server, sockets);
  return port;
}

function next<K extends keyof HealthEvents>(
  checker: HealthChecker,
  name: K,
): Promise<HealthEvents[K]> {
  return new Promise((resolve) => {
    const off = checker.on(name, (event) => {
      off();
      resolve(event);
    });
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

function tcpChecker(options: Omit<TcpHealthOptions, 'host'>): HealthChecker {
  const checker = createHealthChecker({ host: '127.0.0.1', ...options });
  cleanups.push(() => checker.stop());
  return checker;
}

describe('HealthChecker on a real TCP connection', () => {
  it('notices a peer that closes within 50 ms, then reconnects', async () => {
    const p = await peer();
    cleanups.push(() => close(p.server, p.sockets));
    const checker = tcpChecker({ port: p.port, retry: constant(20) });
    const connected = next(checker, 'connect');
    await checker.start();
    expect((await connected).status).toBe('up');
    // Three drops: the best shows the mechanism (the socket's close, no polling); the worst, that a busy
    // machine (two cores shared by parallel test files) only adds scheduling noise.
    const took: number[] = [];
    for (let drop = 0; drop < 3; drop++) {
      const disconnected = next(checker, 'disconnect');
      const t0 = performance.now();
      p.sockets.at(-1)!.destroy();
      const snapshot = await disconnected;
      took.push(performance.now() - t0);
      expect(snapshot).toMatchObject({ status: 'down', failureCount: 0 });
      expect(hasErrorCode(snapshot.lastError, 'PEER_CLOSED')).toBe(true);
      expect((snapshot.lastError as Error).message).toBe(
        `tcp 127.0.0.1:${p.port} closed the connection`,
      );
      // the listener is still there: the first retry succeeds
      expect(await next(checker, 'connect')).toMatchObject({ status: 'up', attempts: drop + 2 });
    }
    expect(Math.min(...took)).toBeLessThan(50);
    expect(Math.max(...took)).toBeLessThan(1000);
  });

  it('a refused connection is retried on the policy, then declared a failure', async () => {
    const port = await freePort();
    const failures: HealthSnapshot[] = [];
    const checker = tcpChecker({
      port,
      retry: constant(5),
      maxRetries: 3,
      onFailure: (s) => void failures.push(s),
    });
    const disconnected = next(checker, 'disconnect');
    await checker.start();
    expect((await disconnected).lastError).toMatchObject({ code: 'ECONNREFUSED' });
    const exit = await checker.done;
    expect(hasErrorCode(exit?.error, 'MAX_RETRIES_EXCEEDED')).toBe(true);
    expect((exit?.error as Error).message).toMatch(
      new RegExp(
        `gave up on tcp 127\\.0\\.0\\.1:${port} after 3 failed retries; last error: .*ECONNREFUSED`,
      ),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ status: 'failed', failureCount: 4, retries: 3 });
  });

  it('a peer that accepts but never answers the ping is noticed within interval + timeout', async () => {
    const p = await peer(); // never replies: hung, or black-holed past the kernel
    cleanups.push(() => close(p.server, p.sockets));
    const checker = tcpChecker({
      port: p.port,
      keepAliveMs: false,
      ping: {
        request: 'PING\r\n',
        isReply: (b) => b.includes('\r\n'),
        intervalMs: 50,
        timeoutMs: 100,
      },
    });
    const connected = next(checker, 'connect');
    await checker.start();
    await connected;
    const t0 = performance.now();
    const snapshot = await next(checker, 'disconnect');
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000); // 150 ms, plus what a busy machine adds
    const error = snapshot.lastError as Error;
    expect(hasErrorCode(error, 'PEER_CLOSED')).toBe(true);
    expect(error.message).toMatch(/broke: no ping reply from tcp 127\.0\.0\.1:\d+ within 100 ms/);
    expect(hasErrorCode(error.cause, 'TIMEOUT')).toBe(true);
  });

  it('a peer that answers its pings stays up, even when replies arrive in pieces', async () => {
    let pings = 0;
    const p = await peer((data) => {
      if (!data.toString().includes('PING')) return undefined;
      pings++;
      return pings % 2 === 0 ? '+PO' : '+PONG\r\n';
    });
    // the even replies are completed by the next write
    p.server.on('connection', (socket) =>
      socket.on('data', () => {
        if (pings % 2 === 0) setImmediate(() => socket.write('NG\r\n'));
      }),
    );
    cleanups.push(() => close(p.server, p.sockets));
    const lost: HealthSnapshot[] = [];
    const checker = tcpChecker({
      port: p.port,
      ping: {
        request: 'PING\r\n',
        isReply: (b) => b.includes('\r\n'),
        intervalMs: 20,
        timeoutMs: 200,
      },
      onDisconnect: (s) => void lost.push(s),
    });
    await checker.start();
    for (let waited = 0; pings < 4 && waited < 5000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(pings).toBeGreaterThanOrEqual(4);
    expect(lost).toEqual([]);
    expect(checker.status).toBe('up');
  });

  it('a ping reply check that throws, or a reply that never ends, breaks the link', async () => {
    const p = await peer(() => 'x'.repeat(70_000));
    cleanups.push(() => close(p.server, p.sockets));
    const throwing = tcpChecker({
      port: p.port,
      ping: {
        request: 'PING\r\n',
        isReply: () => {
          throw new Error('cannot parse reply');
        },
        intervalMs: 10,
      },
    });
    const endless = tcpChecker({
      port: p.port,
      ping: { request: 'PING\r\n', isReply: () => false, intervalMs: 10, timeoutMs: 5000 },
    });
    const a = next(throwing, 'disconnect');
    const b = next(endless, 'disconnect');
    await throwing.start();
    await endless.start();
    expect(((await a).lastError as Error).message).toMatch(/cannot parse reply/);
    expect(((await b).lastError as Error).message).toMatch(
      /ping reply from .* exceeds 65536 bytes/,
    );
  });

  it('a connect answered while the event loop was blocked past the timeout is not a timeout', async () => {
    const p = await peer();
    cleanups.push(() => close(p.server, p.sockets));
    const checker = tcpChecker({ port: p.port, connectTimeoutMs: 30 });
    const outcome = Promise.race([next(checker, 'connect'), next(checker, 'disconnect')]);
    await checker.start();
    const t0 = performance.now();
    while (performance.now() - t0 < 100); // blocked: the connect completes, its event waits unread
    expect(await outcome).toMatchObject({ status: 'up' });
  });

  it('a peer that half-closes is reported down at once, and our end of the socket is closed', async () => {
    const p = await peer();
    cleanups.push(() => close(p.server, p.sockets));
    const checker = tcpChecker({ port: p.port });
    const connected = next(checker, 'connect');
    await checker.start();
    await connected;
    await new Promise((r) => setTimeout(r, 10));
    const remote = p.sockets[0]!;
    const closed = new Promise((resolve) => remote.on('close', resolve));
    const down = next(checker, 'disconnect');
    remote.end(); // FIN only: the peer would keep a half-open socket if we never closed ours
    expect(await down).toMatchObject({ status: 'down' });
    await closed;
    expect(remote.destroyed).toBe(true);
    await checker.stop();
  });

  it('stopping closes the socket: the peer sees the connection end', async () => {
    const p = await peer();
    cleanups.push(() => close(p.server, p.sockets));
    const checker = tcpChecker({ port: p.port });
    const connected = next(checker, 'connect');
    await checker.start();
    await connected;
    await new Promise((r) => setTimeout(r, 10));
    const ended = new Promise((resolve) => p.sockets[0]!.on('close', resolve));
    await checker.stop();
    await ended;
    expect(checker.status).toBe('stopped');
  });
});
