// A health checker holding a persistent TCP connection to a service, supervised the recommended way.
// The service goes away: the drop is noticed at once, then 10 retries fail and the checker gives up
// (`afterFailure: 'stop'`, the original behaviour); its supervisor restarts it, and when the service is
// back the restarted checker connects again.
import { createServer, type Server, type Socket } from 'node:net';
import {
  constant,
  createHealthChecker,
  createSupervisor,
  type HealthSnapshot,
} from '@vigil/resilience';

/** A stand-in for the database: a TCP listener we can take down and bring back on the same port. */
async function listen(port = 0): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

export async function main(): Promise<string[]> {
  let service = await listen();
  const log: string[] = [];
  const note = (what: string) => (s: HealthSnapshot) =>
    void log.push(
      `${what}: status ${s.status}, ${s.failureCount} failed attempts, ${s.retries} retries`,
    );

  const checker = createHealthChecker({
    id: 'db-health',
    host: '127.0.0.1',
    port: service.port,
    retry: constant(20), // default: every 1,000 ms
    maxRetries: 10, // the default
    onConnect: note('connect'),
    onDisconnect: note('disconnect'),
    onFailure: note('failure'),
  });
  let restarts = 0;
  const app = createSupervisor({
    id: 'app',
    // A checker that gives up exits with MAX_RETRIES_EXCEEDED; `transient` restarts it after that (but
    // not after a clean stop). The supervisor survives as long as one run — the first try plus
    // maxRetries retries, 200 ms here — outlasts periodMs / intensity (the defaults, 5,000 / 3, suit
    // the default 10 retries at 1 s).
    intensity: 3,
    periodMs: 500,
    children: [{ id: 'db-health', task: checker, restart: 'transient' }],
  });
  app.on('restarted', () => {
    restarts++;
  });

  const connected = new Promise<void>((resolve) => checker.on('connect', () => resolve()));
  await app.start();
  await connected;

  // The service goes down: every connection to it closes.
  const gaveUp = new Promise<void>((resolve) => checker.on('failure', () => resolve()));
  await new Promise((resolve) => {
    service.server.close(resolve);
    for (const socket of service.sockets) socket.destroy();
  });
  await gaveUp;

  // It comes back on the same port; the checker (restarted by its supervisor) reconnects.
  const back = new Promise<void>((resolve) => checker.on('connect', () => resolve()));
  service = await listen(service.port);
  await back;
  log.push(`restarted by the supervisor ${restarts > 0 ? 'at least once' : 'never'}`);

  await app.stop();
  for (const socket of service.sockets) socket.destroy();
  await new Promise((resolve) => service.server.close(resolve));
  return log;
}
