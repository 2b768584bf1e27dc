// A process of TCP listeners for the health benchmark: opens `count` listening ports, reports them over
// IPC and holds every connection it accepts. On the message `close` it closes them all at once (the
// listeners and every accepted socket), as a database going down would; on `exit` it exits.
import { createServer, type Server, type Socket } from 'node:net';

const count = Number(process.argv[2] ?? 1);
const ports: number[] = [];
const servers: Server[] = [];
const sockets = new Set<Socket>();
for (let i = 0; i < count; i++) {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  servers.push(server);
  ports.push((server.address() as { port: number }).port);
}
process.on('message', (message) => {
  if (message === 'close') {
    for (const server of servers) server.close();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  } else process.exit(0);
});
process.send?.({ ports });
