import {
  constant,
  createRedisClient,
  hasErrorCode,
  type RedisClient,
  type RedisInfo,
} from '@vigil/resilience';
import { formatDuration } from '../../config/index.js';
import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { describeError, elapsed, failed, ok } from '../result.js';
import { checkAssertion, infoField } from './assertions.js';
import { redisSchema, type RedisCheckConfig } from './schema.js';
import { redisTarget, type RedisTarget } from './target.js';

/**
 * `redis`: connects with the toolkit's RESP client (AUTH, SELECT, TLS), sends `PING` and, when asked,
 * checks `INFO` fields. A fresh connection per run, closed on every path; no reconnect attempts.
 */
export const redis = defineCheckKind({
  name: 'redis',
  description: 'PING a Redis (or Valkey, KeyDB) server; optional assertions on INFO fields',
  schema: redisSchema,
  create(config, deps) {
    const target = redisTarget(config, deps.configDir);
    return { run: (ctx) => runRedis(config, target, ctx) };
  },
});

async function runRedis(
  config: RedisCheckConfig,
  target: RedisTarget,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  let connectedAt: number | undefined;
  const client: RedisClient = createRedisClient({
    host: target.host,
    port: target.port,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    db: target.db,
    tls: target.tls === false ? false : target.tls,
    name: 'vigil-check',
    // The monitor's signal enforces the timeout; the client's own limits are a backstop past it.
    connectTimeoutMs: ctx.timeoutMs + 1000,
    requestTimeoutMs: ctx.timeoutMs + 1000,
    reconnect: constant(0).withMaxRetries(0),
    maxQueue: 8,
    dropUnresponsive: false,
    clock: ctx.clock,
  });
  const off = client.on('connected', () => (connectedAt ??= elapsed(ctx, start)));
  try {
    const pong = await client.ping(undefined, { signal: ctx.signal });
    const phases = { connect: connectedAt ?? elapsed(ctx, start), query: 0, total: 0 };
    if (pong !== 'PONG')
      return failed(
        `${target.where} answered PING with ${JSON.stringify(pong.slice(0, 40))}`,
        elapsed(ctx, start),
      );
    const info =
      config.info.length === 0 ? undefined : await client.info(undefined, { signal: ctx.signal });
    const total = elapsed(ctx, start);
    const query = Math.round((total - phases.connect) * 100) / 100;
    const measured = { phases: { ...phases, query, total }, details: details(info) };
    if (info === undefined) return ok(`${target.where} answered PONG`, total, measured);
    const problems = config.info
      .map((a) => ({ a, problem: checkAssertion(info, a) }))
      .filter((p) => p.problem !== undefined);
    if (problems.length === 0)
      return ok(`${target.where} answered PONG; INFO assertions hold`, total, measured);
    const message = `${problems.map((p) => p.problem).join('; ')} (${target.where})`;
    const severity = problems.some((p) => p.a.severity === 'fail') ? 'fail' : 'degraded';
    return { outcome: severity, message, latencyMs: total, ...measured };
  } catch (error) {
    return failed(describeRedisError(error, target, ctx), elapsed(ctx, start));
  } finally {
    off();
    await client.close({ force: true }).catch(() => undefined);
  }
}

function details(info: RedisInfo | undefined): Record<string, string | number> {
  if (info === undefined) return {};
  const out: Record<string, string | number> = {};
  for (const field of ['redis_version', 'role', 'connected_clients', 'used_memory_human']) {
    const value = infoField(info, field);
    if (value !== undefined) out[field] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** Unwraps the client's errors to what the operator needs to read. */
function describeRedisError(error: unknown, target: RedisTarget, ctx: CheckContext): string {
  if (
    ctx.signal.aborted ||
    hasErrorCode(error, 'REQUEST_TIMEOUT') ||
    hasErrorCode(error, 'TIMEOUT')
  ) {
    return `timed out after ${formatDuration(ctx.timeoutMs)} (${target.where})`;
  }
  let e = error;
  while (hasErrorCode(e, 'CONNECT_FAILED') && e.cause !== undefined) e = e.cause;
  if (hasErrorCode(e, 'REDIS_REPLY_ERROR')) {
    const text = (e as { message: string }).message
      .replace(/^REDIS_REPLY_ERROR: /, '')
      .replace(/ \(reply to \w+ at [^)]*\)$/, '')
      .replaceAll(target.password ?? '\u0000', '••••••');
    return /WRONGPASS|NOAUTH|AUTH|invalid password|invalid username/i.test(text)
      ? `authentication refused by ${target.where}: ${text}`
      : `${target.where} answered with an error: ${text}`;
  }
  if (hasErrorCode(e, 'PROTOCOL_ERROR'))
    return `${target.where} does not speak the Redis protocol (RESP)`;
  const closed = e instanceof Error && e.message.endsWith('closed the connection');
  if (closed || hasErrorCode(e, 'CONNECTION_LOST') || hasErrorCode(e, 'PEER_CLOSED')) {
    return `${target.where} closed the connection before answering (is it a Redis server?)`;
  }
  return describeError(e, target.where, ctx);
}
