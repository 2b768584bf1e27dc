// A protocol client on Connection: a codec for a line protocol (one request line, one reply line), and
// everything else — reconnects, the offline queue, pipelining, timeouts, backpressure — comes for free.
import { createServer, type AddressInfo } from 'node:net';
import { NEED_MORE, createConnection, type Codec, type Decoder } from '@vigil/resilience';

/** Requests are strings; replies are strings; a reply starting with `ERR` is an error. */
export const lineCodec: Codec<string, string> = {
  // Append the request's bytes; throw for a request that cannot be encoded (only it fails).
  encode(request, out) {
    if (request.includes('\n')) throw new TypeError('a request cannot contain a newline');
    out.writeString(`${request}\n`);
  },
  // One decoder per socket: `write` takes chunks as they come, `read` returns one frame or NEED_MORE.
  createDecoder(): Decoder<string> {
    let buffered: Buffer = Buffer.alloc(0);
    return {
      write(bytes) {
        buffered = buffered.length === 0 ? bytes : Buffer.concat([buffered, bytes]);
      },
      read() {
        const nl = buffered.indexOf(0x0a);
        if (nl === -1) return NEED_MORE;
        const line = buffered.toString('utf8', 0, nl);
        buffered = buffered.subarray(nl + 1);
        if (line.includes('\0')) throw new Error('NUL in a reply'); // → PROTOCOL_ERROR + reconnect
        return line;
      },
      get bufferedBytes() {
        return buffered.length; // the connection cuts a peer off past maxFrameBytes
      },
    };
  },
  // Optional: which replies are errors (the request rejects with the returned error).
  replyError: (frame) => (frame.startsWith('ERR') ? new Error(frame) : undefined),
};

/** Starts an upper-casing line server, talks to it, and returns what came back. */
export async function main(): Promise<{ replies: string[]; error: string; events: string[] }> {
  const server = createServer((socket) => {
    let rest = '';
    socket.on('data', (chunk) => {
      rest += chunk.toString();
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines)
        socket.write(line === 'boom' ? 'ERR no boom\n' : `${line.toUpperCase()}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const events: string[] = [];
  const connection = createConnection({
    codec: lineCodec,
    port,
    requestTimeoutMs: 2000,
    // Runs on every (re)connect before queued requests go out: AUTH, SELECT, HELLO and the like.
    handshake: async (session) => {
      await session.request('hello');
    },
  });
  connection.on('connected', ({ attempt }) => events.push(`connected after ${attempt} attempt(s)`));

  // Made before the socket is even open: they wait in the queue, then leave in one write.
  const replies = await Promise.all(['a', 'b', 'c'].map((r) => connection.request(r)));
  const error = await connection.request('boom').catch((e: unknown) => (e as Error).message);

  await connection.close(); // graceful: waits for outstanding replies
  await new Promise((resolve) => server.close(resolve));
  return { replies, error, events }; // replies: ['A', 'B', 'C'], error: 'ERR no boom'
}
