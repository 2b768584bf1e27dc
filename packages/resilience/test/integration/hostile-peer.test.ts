// The Redis client against hostile peers written here with node:net: slow, garbled, chatty, silent,
// flooding. Each must end in a typed error or bounded memory, never a hang, a crash or a desync.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  constant,
  createRedisClient,
  hasErrorCode,
  type RedisClient,
  type RedisClientOptions,
} from '../../src/index.js';
import { startPeer, tick, until, type Peer } from '../net-peer.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function peer(handler: (socket: Socket, peer: Peer) => void): Promise<Peer> {
  const p = await startPeer(handler);
  cleanup.push(() => p.close());
  return p;
}

function client(options: RedisClientOptions): RedisClient {
  const c = createRedisClient({ reconnect: constant(20), ...options });
  c.on('error', () => undefined);
  cleanup.push(() => c.close({ force: true }));
  return c;
}

/** Counts the RESP commands (arrays) a socket sends, calling `onCommand` for each. */
function onCommands(socket: Socket, onCommand: (index: number) => void): void {
  let count = 0;
  socket.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x2a) onCommand(count++);
  });
}

/** Writes `bytes` one byte at a time, a macrotask apart. */
async function trickle(socket: Socket, bytes: string): Promise<void> {
  for (const byte of Buffer.from(bytes)) {
    if (socket.destroyed) return;
    socket.write(Buffer.from([byte]));
    await tick(1);
  }
}

describe('hostile peers', () => {
  it('one byte at a time: replies still decode, in order', async () => {
    const p = await peer((socket) =>
      onCommands(
        socket,
        (i) => void trickle(socket, i === 0 ? '+PONG\r\n' : '*2\r\n$3\r\nfoo\r\n:42\r\n'),
      ),
    );
    const c = client({ port: p.port });
    expect(await c.ping()).toBe('PONG');
    expect(await c.command(['X'])).toEqual(['foo', 42]);
  });

  it('garbage bytes: PROTOCOL_ERROR for the caller, then a reconnect', async () => {
    let connections = 0;
    const p = await peer((socket) => {
      connections++;
      onCommands(socket, () =>
        socket.write(connections === 1 ? 'HTTP/1.1 400 Bad Request\r\n\r\n' : '+PONG\r\n'),
      );
    });
    const c = client({ port: p.port });
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.error.message));
    const error: unknown = await c.ping().catch((e: unknown) => e);
    expect(hasErrorCode(error, 'PROTOCOL_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/invalid RESP: unknown type byte 0x48.*reconnecting/);
    expect(await c.ping()).toBe('PONG');
    expect(connections).toBe(2);
    expect(errors[0]).toMatch(/protocol error/);
  });

  it('a reply with no request: PROTOCOL_ERROR, in-flight callers fail with it, then a reconnect', async () => {
    let connections = 0;
    const p = await peer((socket) => {
      connections++;
      if (connections === 1) {
        onCommands(socket, () => socket.write('+OK\r\n+UNASKED\r\n'));
      } else {
        onCommands(socket, () => socket.write('+PONG\r\n'));
      }
    });
    const c = client({ port: p.port });
    const drops: Error[] = [];
    c.on('disconnected', (e) => drops.push(e.reason));
    expect(await c.ping()).toBe('OK');
    await until(() => drops.length === 1);
    expect(hasErrorCode(drops[0], 'PROTOCOL_ERROR')).toBe(true);
    expect(drops[0]?.message).toMatch(/a reply no request asked for/);
    expect(await c.ping()).toBe('PONG');
  });

  it('a peer that closes mid-reply: CONNECTION_LOST, nothing half-decoded leaks into the next connection', async () => {
    let connections = 0;
    const p = await peer((socket) => {
      connections++;
      onCommands(socket, () => {
        if (connections === 1) socket.end('$10\r\nhalf');
        else socket.write('$4\r\nfull\r\n');
      });
    });
    const c = client({ port: p.port });
    await expect(c.command(['GET', 'k'])).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    expect(await c.command(['GET', 'k'])).toBe('full');
  });

  it('a peer that accepts and never answers: REQUEST_TIMEOUT, then it is dropped as unresponsive', async () => {
    const p = await peer(() => undefined);
    const c = client({ port: p.port, requestTimeoutMs: 100 });
    const drops: Error[] = [];
    c.on('disconnected', (e) => drops.push(e.reason));
    const error: unknown = await c.ping().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', sent: true });
    await until(() => drops.length > 0, 2000);
    expect(drops[0]?.message).toMatch(/sent nothing for \d+ ms while a request was overdue/);
    expect(p.sockets.length).toBeGreaterThanOrEqual(1);
  });

  it('a frame larger than maxFrameBytes: PROTOCOL_ERROR before memory runs away', async () => {
    const p = await peer((socket) =>
      onCommands(socket, () => {
        socket.write('$1000000000\r\n');
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      }),
    );
    const c = client({ port: p.port, maxFrameBytes: 1024 * 1024, reconnect: constant(10_000) });
    const error: unknown = await c.command(['GET', 'big']).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'PROTOCOL_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/larger than maxFrameBytes \(1048576 bytes\)/);
  });

  it('a peer that floods pushes faster than they are consumed: reading pauses, memory stays bounded', async () => {
    let written = 0;
    let flooding = true;
    const push = Buffer.from(`>3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$100\r\n${'x'.repeat(100)}\r\n`);
    const batch = Buffer.concat(Array.from({ length: 100 }, () => push));
    const p = await peer((socket) =>
      onCommands(socket, () => {
        socket.write('+OK\r\n');
        const pump = (): void => {
          while (flooding && !socket.destroyed) {
            written += batch.length;
            if (!socket.write(batch)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
      }),
    );
    const c = client({ port: p.port });
    const pushes = c.pushes(); // consume from the start: pushes with no consumer are dropped
    await c.command(['HELLO', '3']); // the peer answers +OK, then floods pushes
    const rss0 = process.memoryUsage().rss;
    let consumed = 0;
    const deadline = performance.now() + 600;
    while (performance.now() < deadline) {
      const next = await pushes.next();
      expect(next.value?.kind).toBe('message');
      consumed++;
      await tick(2); // a slow consumer
    }
    const writtenWhileSlow = written;
    // The peer is stuck on its own full send buffer: far less than it could push in 600 ms unimpeded.
    expect(writtenWhileSlow).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024);
    expect(c.stats.droppedPushes).toBe(0);
    // A fast consumer catches up and reading resumes.
    for (let i = 0; i < 200_000 && written === writtenWhileSlow; i++) await pushes.next();
    expect(written).toBeGreaterThan(writtenWhileSlow);
    expect(consumed).toBeGreaterThan(10);
    flooding = false;
    await pushes.return?.();
  });

  it('drops pushes that arrive with no consumer and counts them', async () => {
    const p = await peer((socket) =>
      onCommands(socket, () => socket.write('>2\r\n+invalidate\r\n*0\r\n+OK\r\n')),
    );
    const c = client({ port: p.port });
    expect(await c.command(['SET', 'k', 'v'])).toBe('OK');
    expect(c.stats.droppedPushes).toBe(1);
    expect(() => {
      const a = c.pushes();
      void a.return?.();
      c.pushes();
      c.pushes();
    }).toThrow(/already has a consumer/);
  });
});

describe('auto-pipelining', () => {
  it('commands issued in the same tick reach the peer in one write', async () => {
    const p = await peer((socket) => onCommands(socket, () => socket.write('+OK\r\n')));
    const c = client({ port: p.port });
    await c.ping();
    const before = p.chunks.length;
    await Promise.all(Array.from({ length: 100 }, (_, i) => c.command(['SET', `k${i}`, i])));
    expect(p.chunks.length - before).toBe(1);
    expect(
      p.chunks
        .at(-1)
        ?.toString()
        .match(/\*3\r\n/g),
    ).toHaveLength(100);
  });
});
