import type { Clock } from '@vigil/resilience';
import { z } from 'zod';
import { duration, formatDuration, type MonitorConfig } from '../../config/index.js';
import {
  defineCheckKind,
  type CheckContext,
  type CheckResult,
  type HeartbeatSource,
} from '../check-kind.js';
import { elapsed, failed, pending } from '../result.js';
import type { PushMonitor } from './heartbeat-registry.js';
import { PUSH_TOKEN, PUSH_TOKEN_RULE } from './push-token.js';

export { createHeartbeatRegistry, HeartbeatRegistry } from './heartbeat-registry.js';
export type {
  HeartbeatEvent,
  HeartbeatRegistryOptions,
  PushMonitor,
  RecordResult,
} from './heartbeat-registry.js';
export { MAX_MESSAGE_CHARS } from './heartbeat-input.js';
export type { HeartbeatInput } from './heartbeat-input.js';
export { derivePushToken } from './push-token.js';

/** Grace when none is configured: 20 % of the period, in whole seconds, at least 10 s. */
export function defaultGrace(periodMs: number): number {
  return Math.max(10_000, Math.ceil((periodMs * 0.2) / 1000) * 1000);
}

const schema = z
  .object({
    /** How often the service sends a heartbeat. */
    period: duration({ min: 1000 }),
    /** Extra time allowed after a period before the monitor fails (default: {@link defaultGrace}). */
    grace: duration().optional(),
    /** The secret in the push URL; typically `${ENV_VAR}`. Without it, one is derived (see docs). */
    token: z.string().regex(PUSH_TOKEN, PUSH_TOKEN_RULE).optional(),
  })
  .strict()
  .transform((c) => ({ ...c, grace: c.grace ?? defaultGrace(c.period) }));

export type PushCheckConfig = z.output<typeof schema>;

/**
 * `push`: a dead-man's switch. The service sends heartbeats to Vigil; the check fails when none arrived for
 * `period + grace`, and otherwise reports what the last heartbeat said.
 */
export const push = defineCheckKind({
  name: 'push',
  description:
    'a heartbeat the service sends to Vigil; fails when none arrives within period + grace',
  schema,
  create(config, deps, monitorId) {
    const createdAt = deps.clock.now();
    return { run: (ctx) => Promise.resolve(runPush(config, deps, monitorId, createdAt, ctx)) };
  },
});

function runPush(
  config: PushCheckConfig,
  deps: { readonly clock: Clock; readonly heartbeats: HeartbeatSource },
  monitorId: string,
  createdAt: number,
  ctx: CheckContext,
): CheckResult {
  const start = ctx.clock.monotonic();
  const now = deps.clock.now();
  const last = deps.heartbeats.last(monitorId);
  const expected = `expected every ${formatDuration(config.period)} + ${formatDuration(config.grace)} grace`;
  const since = last?.at ?? createdAt;
  const silence = Math.max(0, now - since);
  if (silence > config.period + config.grace) {
    const message =
      last === undefined
        ? `no heartbeat since monitoring started ${roughly(silence)} ago (${expected})`
        : `no heartbeat for ${roughly(silence)} (${expected})`;
    return failed(message, elapsed(ctx, start), lastDetails(last));
  }
  if (last === undefined)
    return pending(`waiting for the first heartbeat (${expected})`, elapsed(ctx, start));
  const age = silence < 1000 ? 'just now' : `${roughly(silence)} ago`;
  const message = last.message === '' ? `heartbeat ${age}` : `${last.message} (heartbeat ${age})`;
  return {
    outcome: last.outcome,
    message,
    latencyMs: elapsed(ctx, start),
    ...(last.value === undefined ? {} : { value: last.value }),
    ...lastDetails(last),
  };
}

function lastDetails(last: { readonly at: number } | undefined) {
  return last === undefined ? {} : { details: { lastHeartbeat: new Date(last.at).toISOString() } };
}

/** A duration to the second (to the minute past an hour), for messages: `6m`, `1m30s`, `2h5m`. */
function roughly(ms: number): string {
  const unit = ms >= 3_600_000 ? 60_000 : 1000;
  return formatDuration(Math.max(1000, Math.floor(ms / unit) * unit));
}

/** The push monitors of a config, for {@link HeartbeatRegistry.sync}. */
export function pushMonitors(monitors: readonly MonitorConfig[]): PushMonitor[] {
  return monitors
    .filter((m) => m.kind === push.name)
    .map((m) => ({ monitorId: m.id, token: (m.check as PushCheckConfig).token }));
}
