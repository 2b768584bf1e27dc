import type { ServerProperties } from 'amqplib';
import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { degraded, elapsed, failed, ok } from '../result.js';
import { closeConnection, inspectQueue, openConnection, type QueueState } from './connection.js';
import { describeAmqpError, type AmqpStage } from './errors.js';
import { amqpSchema, type AmqpQueueConfig } from './schema.js';
import { amqpTarget, type AmqpTarget } from './target.js';

export { amqpSchema, type AmqpCheckConfig } from './schema.js';

/**
 * `amqp`: opens an AMQP 0-9-1 connection (RabbitMQ) with a fresh connection per run, and optionally
 * inspects a queue: it must exist, with limits on its depth (`value` is its message count) and consumers.
 */
export const amqp = defineCheckKind({
  name: 'amqp',
  description:
    'connect to an AMQP 0-9-1 broker (RabbitMQ); optionally check a queue, its depth and consumers',
  schema: amqpSchema,
  create(config) {
    const target = amqpTarget(config);
    return { run: (ctx) => runAmqp(target, config.queue, ctx) };
  },
});

async function runAmqp(
  target: AmqpTarget,
  queue: AmqpQueueConfig | undefined,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  let stage: AmqpStage = 'connect';
  const model = await openConnection(target, ctx).catch((error: unknown) => error as Error);
  if (model instanceof Error)
    return failed(describeAmqpError(model, target, stage, ctx), elapsed(ctx, start));
  try {
    const connect = elapsed(ctx, start);
    const server = serverDetails(model.connection.serverProperties);
    if (queue === undefined) {
      const message = `connected to ${server.product} ${server.version} at ${target.label} (vhost "${target.vhost}")`;
      return ok(message, connect, { phases: { connect }, details: server });
    }
    stage = { queue: queue.name };
    const state = await inspectQueue(model, queue.name, queue.declare, ctx);
    const phases = { connect, query: Math.round((elapsed(ctx, start) - connect) * 100) / 100 };
    return judgeQueue(queue, state, elapsed(ctx, start), phases, server);
  } catch (error) {
    return failed(describeAmqpError(error, target, stage, ctx), elapsed(ctx, start));
  } finally {
    await closeConnection(model, ctx);
  }
}

/** The broker's name and version from its handshake (not every broker sends them). */
function serverDetails(properties: ServerProperties): { product: string; version: string } {
  const sent: Readonly<Record<string, unknown>> = properties;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  return {
    product: text(sent.product, 'AMQP broker'),
    version: text(sent.version, '(version unknown)'),
  };
}

function judgeQueue(
  queue: AmqpQueueConfig,
  state: QueueState,
  latencyMs: number,
  phases: { connect: number; query: number },
  server: { product: string; version: string },
): CheckResult {
  const { messageCount: messages, consumerCount: consumers } = state;
  const extra = {
    phases,
    value: messages,
    details: { ...server, messages, consumers, declared: state.declared },
  };
  const counts = `queue "${queue.name}" has ${plural(messages, 'message')} and ${plural(consumers, 'consumer')}`;
  const breaches = [
    queue.maxMessages !== undefined && messages > queue.maxMessages
      ? `more than ${queue.maxMessages} messages`
      : undefined,
    queue.minConsumers !== undefined && consumers < queue.minConsumers
      ? `fewer than ${plural(queue.minConsumers, 'consumer')}`
      : undefined,
  ].filter((b) => b !== undefined);
  if (breaches.length > 0) {
    const judge = queue.severity === 'degraded' ? degraded : failed;
    return judge(`${counts}: ${breaches.join(', ')}`, latencyMs, extra);
  }
  const suffix = state.declared ? ' (declared by this check: it did not exist)' : '';
  return ok(`${counts}${suffix}`, latencyMs, extra);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
