// Test peers for connection tests: a scriptable `node:net` server, a line codec, and polling helpers.
import { createServer, type Server, type Socket } from 'node:net';
import { NEED_MORE, type Codec, type Decoder } from '../src/index.js';

/** A server the test scripts: `onConnection` gets each accepted socket. */
export interface Peer {
  readonly port: number;
  readonly sockets: Socket[];
  /** Bytes received from clients, all connections together. */
  received(): string;
  /** Chunks received (one `data` event each). */
  readonly chunks: Buffer[];
  /** Destroys every accepted socket (the clients see a drop). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startPeer(
  onConnection: (socket: Socket, peer: Peer) => void = () => undefined,
): Promise<Peer> {
  const sockets: Socket[] = [];
  const chunks: Buffer[] = [];
  const server: Server = createServer();
  const peer: Peer = {
    port: 0,
    sockets,
    chunks,
    received: () => Buffer.concat(chunks).toString(),
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    onConnection(socket, peer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  (peer as { port: number }).port =
    typeof address === 'object' && address !== null ? address.port : 0;
  return peer;
}

/** Calls `onLine` for every `\n`-terminated line a socket sends. */
export function onLines(socket: Socket, onLine: (line: string) => void): void {
  let rest = '';
  socket.on('data', (chunk: Buffer) => {
    rest += chunk.toString();
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      onLine(line);
    }
  });
}

/**
 * A line protocol for tests: a request is a line, a reply is a line. A reply starting with `>` is a push,
 * one starting with `ERR` an error reply; a line containing `\x00` is rejected by the decoder.
 */
export const lineCodec: Codec<string, string> = {
  encode(request, out) {
    if (request.includes('\n')) throw new TypeError('a line request cannot contain a newline');
    out.writeString(`${request}\n`);
  },
  createDecoder(): Decoder<string> {
    let buffered = '';
    return {
      write(bytes) {
        buffered += bytes.toString('latin1');
      },
      read() {
        const nl = buffered.indexOf('\n');
        if (nl === -1) return NEED_MORE;
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.includes('\x00')) throw new Error('NUL byte in a line');
        return line;
      },
      get bufferedBytes() {
        return buffered.length;
      },
    };
  },
  isPush: (frame) => frame.startsWith('>'),
  replyError: (frame) => (frame.startsWith('ERR') ? new Error(frame) : undefined),
};

/** Waits (real time, bounded) until `condition` holds; throws after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Real-time pause for I/O to happen (bounded, short). */
export const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((r) => server.close(r));
  return typeof address === 'object' && address !== null ? address.port : 0;
}
