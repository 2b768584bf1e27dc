// A local HTTP server for check tests: 127.0.0.1, a free port, records requests, closes every connection
// with the test.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface StubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface HttpStub {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: StubRequest[];
  /** Connections open now (a client that leaks keeps its connection open). */
  openConnections(): number;
  close(): Promise<void>;
}

/** Handles a request; the request body has been read. */
export type StubHandler = (req: StubRequest, res: ServerResponse) => void;

/** Replies with `body` as JSON (or text when it is a string) and `status`. */
export function reply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): StubHandler {
  return (_req, res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json';
    res.writeHead(status, { 'content-type': type, ...headers }).end(text);
  };
}

/** Starts an HTTP server on a free loopback port. */
export async function httpStub(handler: StubHandler): Promise<HttpStub> {
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
