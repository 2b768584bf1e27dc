import {
  connect,
  type Channel,
  type ChannelModel,
  type Replies,
  type SocketOptions,
} from 'amqplib';
import { abortable } from '@vigil/resilience';
import type { CheckContext } from '../check-kind.js';
import type { AmqpTarget } from './target.js';

const ignore = (): void => {};

/**
 * Opens a fresh connection. `ctx.signal` goes to the socket itself, so an abort destroys it at once in
 * any state (connecting, handshaking, open); errors the connection emits after that are absorbed.
 */
export async function openConnection(target: AmqpTarget, ctx: CheckContext): Promise<ChannelModel> {
  // `signal` is not in amqplib's SocketOptions type, but it is passed to net/tls.connect as is.
  const socketOptions: SocketOptions & { readonly signal: AbortSignal } = {
    ...target.tls,
    signal: ctx.signal,
    noDelay: true,
    clientProperties: { connection_name: `vigil ${ctx.monitorId}` },
  };
  const pending = connect(target.connect, socketOptions).then((model) => {
    model.on('error', ignore);
    return model;
  });
  try {
    return await abortable(pending, ctx.signal);
  } catch (error) {
    // Aborted: the socket is destroyed; should the handshake still have won the race, close it.
    void pending.then((model) => model.close()).catch(ignore);
    throw error;
  }
}

/** Closes the connection politely, or not at all when aborted (the signal already destroyed the socket). */
export async function closeConnection(model: ChannelModel, ctx: CheckContext): Promise<void> {
  if (ctx.signal.aborted) return;
  await abortable(model.close(), ctx.signal).catch(ignore);
}

/** The result of inspecting a queue: its counts and whether this run created it. */
export interface QueueState {
  readonly messageCount: number;
  readonly consumerCount: number;
  readonly declared: boolean;
}

/**
 * Inspects a queue with a passive declare, which never creates or changes it. With `declare`, a missing
 * queue (the broker closes the channel with 404) is then created non-durable and auto-delete on a new
 * channel; an existing queue is never redeclared, so its arguments can never conflict.
 */
export async function inspectQueue(
  model: ChannelModel,
  name: string,
  declare: boolean,
  ctx: CheckContext,
): Promise<QueueState> {
  const channel = await openChannel(model, ctx);
  let reply: Replies.AssertQueue;
  try {
    reply = await abortable(channel.checkQueue(name), ctx.signal);
  } catch (error) {
    if (!declare || (error as { code?: unknown }).code !== 404) throw error;
    const fresh = await openChannel(model, ctx);
    reply = await abortable(
      fresh.assertQueue(name, { durable: false, autoDelete: true }),
      ctx.signal,
    );
    return { messageCount: reply.messageCount, consumerCount: reply.consumerCount, declared: true };
  }
  return { messageCount: reply.messageCount, consumerCount: reply.consumerCount, declared: false };
}

async function openChannel(model: ChannelModel, ctx: CheckContext): Promise<Channel> {
  const channel = await abortable(model.createChannel(), ctx.signal);
  // A failed declare closes the channel with an 'error' event; the rejected call reports it.
  channel.on('error', ignore);
  return channel;
}
