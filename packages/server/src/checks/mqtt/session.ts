import { connect, type MqttClient } from 'mqtt';
import { abortable } from '@vigil/resilience';
import type { CheckContext } from '../check-kind.js';
import type { MqttRoundTripConfig } from './schema.js';
import type { MqttTarget } from './target.js';

/** The broker closed the connection when the check waited for something else. */
export class ClosedByBroker extends Error {
  override readonly name = 'ClosedByBroker';
}

/** A subscription the broker refused in its SUBACK. */
export class SubscriptionRefused extends Error {
  override readonly name = 'SubscriptionRefused';
}

/**
 * Creates a client that never reconnects and resolves once the broker accepts it (CONNACK). The
 * client is returned at once so the caller can end it on every path; `connected` settles later.
 */
export function openClient(
  target: MqttTarget,
  clientId: string,
  ctx: CheckContext,
): { client: MqttClient; connected: Promise<void> } {
  const client = connect(target.url, {
    ...target.options,
    clientId,
    clean: true,
    // No keepalive timer, no reconnect: the connection lives for one check.
    keepalive: 0,
    reconnectPeriod: 0,
    resubscribe: false,
    // The signal ends the attempt; this only backs it up.
    connectTimeout: ctx.timeoutMs + 1000,
  });
  // mqtt.js emits 'error' for refused connections and protocol errors: never let one go unheard.
  client.on('error', () => {});
  const connected = new Promise<void>((resolve, reject) => {
    const done = (): void => {
      client.off('connect', onConnect).off('error', onError).off('close', onClose);
    };
    const onConnect = (): void => {
      done();
      resolve();
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(new ClosedByBroker('closed before CONNACK'));
    };
    client.once('connect', onConnect).once('error', onError).once('close', onClose);
  });
  return { client, connected: abortable(connected, ctx.signal) };
}

/** Ends the client at once (no waiting for in-flight messages) and waits until its socket is closed. */
export function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(true, {}, () => resolve()));
}

/** What the round trip was doing, for messages. */
export type RoundTripStage = 'subscribing to' | 'publishing to' | 'waiting for the message on';

/**
 * Subscribes to the topic, publishes `payload` and resolves when a message with that payload comes
 * back on it. `onStage` reports progress so a timeout can say where it stopped.
 */
export async function roundTrip(
  client: MqttClient,
  config: MqttRoundTripConfig,
  payload: string,
  ctx: CheckContext,
  onStage: (stage: RoundTripStage) => void,
): Promise<void> {
  const { topic, qos } = config;
  let onMessage: (t: string, body: Buffer) => void = () => {};
  let onClose: () => void = () => {};
  const back = new Promise<void>((resolve, reject) => {
    onMessage = (t, body) => {
      if (t === topic && body.toString() === payload) resolve();
    };
    onClose = () => reject(new ClosedByBroker('closed the connection during the round trip'));
    client.on('message', onMessage).on('close', onClose);
  });
  back.catch(() => {});
  try {
    onStage('subscribing to');
    const granted = await abortable(client.subscribeAsync(topic, { qos }), ctx.signal);
    if (granted.some((g) => g.qos >= 128)) throw new SubscriptionRefused(topic);
    onStage('publishing to');
    await abortable(client.publishAsync(topic, payload, { qos, retain: false }), ctx.signal);
    onStage('waiting for the message on');
    await abortable(back, ctx.signal);
  } finally {
    client.off('message', onMessage).off('close', onClose);
  }
}
