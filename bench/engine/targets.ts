// The monitored services of the engine bench, run in a process of their own so that their CPU is not
// the engine's: `targets.ts http <ports> <keepAliveMs>` or `targets.ts tcp <ports>`. Prints
// `{"ports":[…]}` once listening, then serves until stdin closes (the parent exits or ends it).
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

const [kind = 'http', countArg = '4', keepAliveArg = '75000'] = process.argv.slice(2);
const count = Number(countArg);
const keepAliveMs = Number(keepAliveArg);
const body = Buffer.from('{"status":"ok","checks":{"db":"ok","cache":"ok"}}');

function httpServer(): Server {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'cache-control': 'no-store',
      ...(keepAliveMs === 0 ? { connection: 'close' } : {}),
    });
    response.end(body);
  });
  // Announced as `Keep-Alive: timeout=<s>`; 0 answers `Connection: close` (no keep-alive at all).
  if (keepAliveMs > 0) server.keepAliveTimeout = keepAliveMs;
  server.headersTimeout = 60_000;
  server.maxConnections = 200_000;
  return server;
}

function tcpServer(): Server {
  // Accepts and lets the client close; answers `PONG` to anything sent.
  return createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => socket.write('+PONG\r\n'));
    socket.on('end', () => socket.end());
  }) as unknown as Server;
}

const ports: number[] = [];
for (let i = 0; i < count; i++) {
  const server = kind === 'http' ? httpServer() : tcpServer();
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  ports.push(address.port);
}
process.stdout.write(`${JSON.stringify({ ports })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
