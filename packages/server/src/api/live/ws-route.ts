import type { Clock, Timer } from '@vigil/resilience';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { LiveHub } from './hub.js';

/** Options of {@link registerLiveRoute}. */
export interface LiveRouteOptions {
  readonly hub: LiveHub;
  readonly clock: Clock;
  /** Answers 401/403 unless the caller may read. */
  readonly canRead: (request: FastifyRequest) => Promise<void>;
  /** Protocol-level pings this often; a client that misses two is dropped. Default 30 s. */
  readonly pingMs?: number;
}

/**
 * `GET <prefix>/live` upgraded to a WebSocket: a snapshot, then deltas. Reconnecting clients pass
 * `?since=<seq>` to resume. Messages from clients are ignored (the feed is one-way).
 */
export function registerLiveRoute(
  app: FastifyInstance,
  prefix: string,
  options: LiveRouteOptions,
): void {
  const pingMs = options.pingMs ?? 30_000;
  app.get(
    `${prefix}/live`,
    { websocket: true, preValidation: async (request) => options.canRead(request) },
    (socket: WebSocket, request: FastifyRequest) => {
      const sinceText = (request.query as Record<string, string | undefined>).since;
      const since =
        sinceText !== undefined && /^\d+$/.test(sinceText) ? Number(sinceText) : undefined;
      const detach = options.hub.attach(socket, since);
      let alive = true;
      let pinger: Timer | undefined;
      const ping = (): void => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        pinger = options.clock.setTimer(pingMs, ping);
      };
      pinger = options.clock.setTimer(pingMs, ping);
      socket.on('pong', () => (alive = true));
      socket.on('close', () => {
        pinger?.cancel();
        detach();
      });
      socket.on('error', () => socket.terminate());
    },
  );
}
