// A TLS server on a free loopback port presenting a given certificate, for TLS and HTTPS check tests.
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { TestCert } from './certs.js';

export interface TlsPeer {
  readonly port: number;
  /** Open server-side sockets (TCP level, including handshakes in progress). */
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with `cert`; `onSecure` gets each socket after the handshake (default: end it). */
export async function tlsPeer(
  cert: TestCert,
  onSecure: (socket: TLSSocket) => void = (s) => s.end(),
): Promise<TlsPeer> {
  const sockets = new Set<Socket>();
  const server = createServer({ key: cert.key, cert: cert.cert }, (socket) => {
    socket.on('error', () => {});
    onSecure(socket);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
