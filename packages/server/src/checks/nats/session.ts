import { connect, type ConnectionOptions, type Msg, type NatsConnection } from 'nats';
import { abortable } from '@vigil/resilience';
import type { CheckContext } from '../check-kind.js';
import type { NatsRequestConfig, NatsRoundTripConfig } from './schema.js';
import type { SocketTracker } from './socket-tracker.js';

const ignore = (): void => {};
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Connects once, with no reconnect attempts, inside `tracker` so that every socket the attempt opens
 * can be destroyed. On abort the attempt is abandoned: its sockets go, and a connection that still
 * completes is closed.
 */
export async function openConnection(
  options: ConnectionOptions,
  tracker: SocketTracker,
  ctx: CheckContext,
): Promise<NatsConnection> {
  const pending = tracker.run(() =>
    connect({
      ...options,
      name: `vigil ${ctx.monitorId}`,
      timeout: ctx.timeoutMs,
      // No reconnects once connected. (Not `maxReconnectAttempts: 0`: nats.js then gives up the first
      // connect after the first server of a list, which would defeat `servers`.)
      reconnect: false,
      waitOnFirstConnect: false,
      noRandomize: true,
      ignoreClusterUpdates: true,
    }),
  );
  try {
    return await abortable(pending, ctx.signal);
  } catch (error) {
    tracker.destroyAll();
    void pending.then((nc) => nc.close()).catch(ignore);
    throw error;
  }
}

/** Closes the connection (bounded by the signal), then destroys whatever socket is left. */
export async function closeConnection(
  nc: NatsConnection,
  tracker: SocketTracker,
  ctx: CheckContext,
): Promise<void> {
  await abortable(nc.close(), ctx.signal).catch(ignore);
  tracker.destroyAll();
}

/** Milliseconds left of the check's budget, at least 1. */
function remaining(ctx: CheckContext, start: number): number {
  return Math.max(1, Math.floor(ctx.timeoutMs - (ctx.clock.monotonic() - start)));
}

/** Sends a request and returns the reply's text. Rejects with nats.js's 503 when no one listens. */
export async function request(
  nc: NatsConnection,
  config: NatsRequestConfig,
  ctx: CheckContext,
  start: number,
): Promise<string> {
  const reply: Msg = await abortable(
    nc.request(config.subject, encoder.encode(config.payload), {
      timeout: remaining(ctx, start),
    }),
    ctx.signal,
  );
  return decoder.decode(reply.data);
}

/**
 * Subscribes to the subject, makes sure the server has the subscription (flush), publishes `payload`
 * and resolves when it comes back. The subscription is removed on every path.
 */
export async function roundTrip(
  nc: NatsConnection,
  config: NatsRoundTripConfig,
  payload: string,
  ctx: CheckContext,
): Promise<void> {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const back = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  back.catch(ignore);
  const subscription = nc.subscribe(config.subject, {
    callback: (error, msg) => {
      if (error !== null) settle?.reject(error);
      else if (decoder.decode(msg.data) === payload) settle?.resolve();
    },
  });
  try {
    await abortable(nc.flush(), ctx.signal);
    nc.publish(config.subject, encoder.encode(payload));
    await abortable(back, ctx.signal);
  } finally {
    subscription.unsubscribe();
  }
}
