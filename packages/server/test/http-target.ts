// HTTP and HTTPS servers on a free loopback port for http check tests; they track their connections so
// tests can assert that a check closed every one it opened.
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TestCert } from './certs.js';

export interface HttpTarget {
  readonly port: number;
  /** Open server-side connections. */
  readonly sockets: Set<Socket>;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** `http(s)://<host>:<port><path>`; host defaults to 127.0.0.1. */
  url(path?: string, host?: string): string;
  close(): Promise<void>;
}

/** Starts a server calling `handler` for each request; with `cert`, HTTPS. */
export async function httpTarget(handler: RequestListener, cert?: TestCert): Promise<HttpTarget> {
  const server: Server =
    cert === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ key: cert.key, cert: cert.cert }, handler);
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const scheme = cert === undefined ? 'http' : 'https';
  return {
    port: address.port,
    sockets,
    connections: () => connections,
    url: (path = '/', host = '127.0.0.1') => `${scheme}://${host}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
