import type { ConnectionOptions, NatsConnection } from 'nats';
import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { probeToken } from '../probe-token.js';
import { elapsed, failed, ok } from '../result.js';
import { describeNatsError, type NatsStage } from './errors.js';
import { natsSchema, serverLabel, type NatsCheckConfig } from './schema.js';
import { closeConnection, openConnection, request, roundTrip } from './session.js';
import { createSocketTracker } from './socket-tracker.js';

export { natsSchema, type NatsCheckConfig } from './schema.js';

/**
 * `nats`: connects to a NATS server (one attempt, no reconnects) and optionally makes a request (a
 * responder must answer) or a publish→subscribe round trip of a unique payload.
 */
export const nats = defineCheckKind({
  name: 'nats',
  description:
    'connect to a NATS server; optionally a request/reply or a publish/subscribe round trip',
  schema: natsSchema,
  create(config, _deps, monitorId) {
    const servers = config.servers ?? (config.url === undefined ? [] : [config.url]);
    const options: ConnectionOptions = {
      servers,
      ...(config.user === undefined ? {} : { user: config.user, pass: config.password ?? '' }),
      ...(config.token === undefined ? {} : { token: config.token }),
    };
    const label = servers.map(serverLabel).join(', ');
    let runs = 0;
    return { run: (ctx) => runNats(config, options, label, monitorId, runs++, ctx) };
  },
});

async function runNats(
  config: NatsCheckConfig,
  options: ConnectionOptions,
  label: string,
  monitorId: string,
  run: number,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const tracker = createSocketTracker();
  const nc = await openConnection(options, tracker, ctx).catch((error: unknown) => error as Error);
  if (nc instanceof Error)
    return failed(describeNatsError(nc, label, 'connect', ctx), elapsed(ctx, start));
  const server = nc.getServer();
  const details = { server, version: nc.info?.version ?? null };
  const stage = stageOf(config);
  try {
    const connect = elapsed(ctx, start);
    if (stage === 'connect') {
      const message = `connected to NATS ${details.version ?? '(version unknown)'} at ${server}`;
      return ok(message, connect, { phases: { connect }, details });
    }
    const payload = `vigil ${monitorId} ${probeToken(ctx.clock, monitorId, run)}`;
    const reply = await exchange(nc, config, payload, ctx, start);
    const total = elapsed(ctx, start);
    const phases = { connect, roundTrip: Math.round((total - connect) * 100) / 100 };
    return judge(config.request?.expect, stage, reply, server, total, { phases, details });
  } catch (error) {
    return failed(describeNatsError(error, server, stage, ctx), elapsed(ctx, start), { details });
  } finally {
    await closeConnection(nc, tracker, ctx);
  }
}

function stageOf(config: NatsCheckConfig): NatsStage {
  if (config.request !== undefined)
    return { waitingFor: 'a reply', subject: config.request.subject };
  if (config.roundTrip !== undefined)
    return { waitingFor: 'the message', subject: config.roundTrip.subject };
  return 'connect';
}

/** The request's reply text, or undefined after a round trip. */
async function exchange(
  nc: NatsConnection,
  config: NatsCheckConfig,
  payload: string,
  ctx: CheckContext,
  start: number,
): Promise<string | undefined> {
  if (config.request !== undefined) return request(nc, config.request, ctx, start);
  if (config.roundTrip !== undefined) await roundTrip(nc, config.roundTrip, payload, ctx);
  return undefined;
}

type Extra = Parameters<typeof ok>[2];

function judge(
  expected: string | undefined,
  stage: Exclude<NatsStage, 'connect'>,
  reply: string | undefined,
  server: string,
  total: number,
  extra: Extra,
): CheckResult {
  if (reply !== undefined && expected !== undefined && !reply.includes(expected)) {
    const shown = JSON.stringify(reply.slice(0, 80));
    return failed(
      `reply on "${stage.subject}" was ${shown}, expected it to contain ${JSON.stringify(expected)}`,
      total,
      extra,
    );
  }
  const what = reply === undefined ? 'message came back on' : 'reply on';
  return ok(
    `${what} "${stage.subject}" in ${extra?.phases?.roundTrip ?? total}ms (${server})`,
    total,
    extra,
  );
}
