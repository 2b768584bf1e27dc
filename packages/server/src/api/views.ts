import { z } from 'zod';
import { outcomes } from '../checks/index.js';
import type { Config, GroupConfig } from '../config/index.js';
import { lifecycles, statuses, type MonitorSnapshot } from '../engine/index.js';
import { redact } from './redact.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const lastCheckSchema = z.object({
  outcome: z.enum(outcomes),
  message: z.string(),
  latencyMs: z.number(),
  at: z.string().describe('ISO 8601'),
});

/** A monitor as the board lists it. */
export const monitorSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  group: z.string(),
  tags: z.array(z.string()),
  kind: z.string(),
  status: z.enum(statuses),
  reason: z.string(),
  since: z.string().describe('ISO 8601: when the status last changed'),
  lifecycle: z.enum(lifecycles),
  lastCheck: lastCheckSchema.optional(),
  parentDown: z.string().optional().describe('a dependsOn parent that is down: alerts are muted'),
  maintenance: z.string().optional().describe('the maintenance window in force'),
  flag: z.string().optional().describe('the feature flag that governs this monitor'),
  flagOff: z
    .string()
    .optional()
    .describe('the feature flag (its own or its group’s) that is off and keeps it disabled'),
});
export type MonitorSummary = z.output<typeof monitorSummarySchema>;

/** A monitor in detail: its summary, counters and its config with secrets masked. */
export const monitorDetailSchema = monitorSummarySchema.extend({
  description: z.string().optional(),
  consecutiveFailures: z.number(),
  consecutiveSuccesses: z.number(),
  config: z.object({
    intervalMs: z.number(),
    timeoutMs: z.number(),
    failureThreshold: z.number(),
    successThreshold: z.number(),
    retry: z.object({
      initialMs: z.number(),
      maxMs: z.number(),
      factor: z.number(),
      jitter: z.string(),
    }),
    maxAttempts: z.number(),
    onExhausted: z.enum(['keep', 'block']),
    dependsOn: z.array(z.string()),
    maintenance: z.array(z.unknown()),
    check: z.unknown().describe('the check kind section, secrets masked'),
  }),
});
export type MonitorDetail = z.output<typeof monitorDetailSchema>;

export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  support: z.object({ name: z.string(), contact: z.string().optional() }).optional(),
  monitors: z.number(),
});

export function summaryView({ config, state }: MonitorSnapshot): MonitorSummary {
  const last = state.lastResult;
  return {
    id: config.id,
    name: config.name,
    group: config.group,
    tags: [...config.tags],
    kind: config.kind,
    status: state.status,
    reason: state.reason,
    since: iso(state.since),
    lifecycle: state.lifecycle,
    ...(last === undefined
      ? {}
      : {
          lastCheck: {
            outcome: last.outcome,
            message: last.message,
            latencyMs: last.latencyMs,
            at: iso(last.at),
          },
        }),
    ...(state.parentDown === undefined ? {} : { parentDown: state.parentDown }),
    ...(state.maintenance === undefined ? {} : { maintenance: state.maintenance }),
    ...(config.flag === undefined ? {} : { flag: config.flag }),
    ...(state.flagOff === undefined ? {} : { flagOff: state.flagOff }),
  };
}

export function detailView(
  snapshot: MonitorSnapshot,
  appConfig: Config | undefined,
): MonitorDetail {
  const { config, state } = snapshot;
  const index = appConfig?.monitors.findIndex((m) => m.id === config.id) ?? -1;
  const base = `monitors[${index}]`;
  const envPaths = appConfig?.envPaths ?? new Set<string>();
  return {
    ...summaryView(snapshot),
    ...(config.description === undefined ? {} : { description: config.description }),
    consecutiveFailures: state.consecutiveFailures,
    consecutiveSuccesses: state.consecutiveSuccesses,
    config: {
      intervalMs: config.intervalMs,
      timeoutMs: config.timeoutMs,
      failureThreshold: config.failureThreshold,
      successThreshold: config.successThreshold,
      retry: { ...config.retry },
      maxAttempts: config.maxAttempts,
      onExhausted: config.onExhausted,
      dependsOn: [...config.dependsOn],
      maintenance: [...config.maintenance],
      check: redact(config.check, `${base}.${config.kind}`, envPaths),
    },
  };
}

export function groupView(group: GroupConfig, monitors: number): z.output<typeof groupSchema> {
  return {
    id: group.id,
    name: group.name ?? group.id,
    ...(group.description === undefined ? {} : { description: group.description }),
    ...(group.support === undefined ? {} : { support: { ...group.support } }),
    monitors,
  };
}
