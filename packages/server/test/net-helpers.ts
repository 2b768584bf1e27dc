// Local TCP peers for check tests: they listen on 127.0.0.1, a free port, and close with the test.
import { createServer, type Server, type Socket } from 'node:net';

export interface Peer {
  readonly port: number;
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/** A TCP server on a free loopback port; `onConnection` decides how it behaves. */
export async function tcpPeer(onConnection: (socket: Socket) => void = () => {}): Promise<Peer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
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

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const peer = await tcpPeer();
  await peer.close();
  return peer.port;
}
