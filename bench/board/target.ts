// The monitors' TCP target, in a process of its own: accepts and closes. Prints `{ open, closed }` ports.
import { createServer, type Server } from 'node:net';

const listen = async (): Promise<Server> => {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 511, resolve));
  return server;
};
const open = await listen();
const spare = await listen();
const closed = (spare.address() as { port: number }).port;
spare.close();
process.stdout.write(
  `${JSON.stringify({ open: (open.address() as { port: number }).port, closed })}\n`,
);
process.once('SIGTERM', () => process.exit(0));
