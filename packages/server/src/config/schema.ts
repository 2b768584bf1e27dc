import { jitterKinds } from '@vigil/resilience';
import { z } from 'zod';
import type { CheckKind } from '../checks/check-kind.js';
import { alertRuleSchema, notifierEntrySchema } from './alerting-schema.js';
import { cronProblem } from './cron.js';
import { duration } from './duration.js';
import { flagKey, flagsSchema } from './flags-schema.js';

const id = (what: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
      `${what} ids are 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );

/** Timing and thresholds a monitor inherits from `defaults` unless it sets its own. */
const tuning = {
  interval: duration({ min: 1000 }).optional(),
  timeout: duration({ min: 10 }).optional(),
  failureThreshold: z.int().min(1).max(1000).optional(),
  successThreshold: z.int().min(1).max(1000).optional(),
  retry: z
    .object({
      initial: duration({ min: 100 }).optional(),
      max: duration({ min: 100 }).optional(),
      factor: z.number().min(1).max(10).optional(),
      jitter: z.enum(jitterKinds).optional(),
    })
    .strict()
    .optional(),
  maxAttempts: z.int().min(0).optional(),
  onExhausted: z.enum(['keep', 'block']).optional(),
};

const oneOffWindow = z
  .object({
    name: z.string().optional(),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), {
    message: 'end must be after start',
    path: ['end'],
  });

const cronWindow = z
  .object({
    name: z.string().optional(),
    cron: z.string().min(1),
    duration: duration({ min: 60_000 }),
    timezone: z.string().optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    const problem = cronProblem(w.cron, w.timezone);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
  });

/** A maintenance window: one-off (`start`/`end`, ISO 8601 with offset) or recurring (`cron` + `duration`). */
export const maintenanceWindowSchema = z.union([oneOffWindow, cronWindow]);

export const groupSchema = z
  .object({
    id: id('group'),
    name: z.string().optional(),
    description: z.string().optional(),
    /** While this flag is off, none of the group's monitors run (a monitor's own flag must be on too). */
    flag: flagKey.optional(),
    /** Who is on support for this group, shown on the TV board. */
    support: z.object({ name: z.string(), contact: z.string().optional() }).strict().optional(),
  })
  .strict();

/** How long one kind of stored data is kept: a duration of at least an hour, or `forever`. */
const keep = z.union([
  z.literal('forever').transform(() => Infinity),
  duration({ min: 3_600_000 }),
]);

/**
 * Retention per storage tier; each key defaults when left out (raw 14d, minute 3d, hour 400d, day
 * forever, incidents forever, outbox 30d).
 */
export const retentionSchema = z
  .object({
    raw: keep.optional(),
    minute: keep.optional(),
    hour: keep.optional(),
    day: keep.optional(),
    incidents: keep.optional(),
    outbox: keep.optional(),
  })
  .strict();

export const storageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('sqlite'),
      path: z.string().min(1).default('./data/vigil.db'),
      retention: retentionSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('postgres'),
      url: z.string().min(1),
      retention: retentionSchema.optional(),
    })
    .strict(),
]);

export const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(0).max(65535).default(8080),
    /** Anyone may read the board (and its live feed) without signing in; changes still need an admin. */
    publicBoard: z.boolean().default(false),
    /** Serve /metrics without credentials, for a Prometheus on a trusted network. */
    publicMetrics: z.boolean().default(false),
    /** Secure flag on cookies: true, false, or auto (when the request came over HTTPS). */
    secureCookies: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    sessionTtl: duration({ min: 60_000 }).default(7 * 86_400_000),
    /** Trust X-Forwarded-* from a reverse proxy (for client addresses in rate limiting and HTTPS detection). */
    trustProxy: z.boolean().default(false),
    /** The public address of the board (e.g. https://status.example.com), for links in alerts. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** A long random secret (≥ 32 characters, from `${ENV}`): push tokens of monitors without one derive from it. */
    secret: z.string().min(32).optional(),
  })
  .strict();

/** The config schema for a set of check kinds: each kind adds its section to a monitor. */
export function configSchema(kinds: Readonly<Record<string, CheckKind>>) {
  const sections = Object.fromEntries(
    Object.values(kinds).map((k) => [k.name, k.schema.optional()]),
  ) as Record<string, z.ZodOptional<z.ZodType>>;
  const monitor = z
    .object({
      id: id('monitor'),
      name: z.string().optional(),
      description: z.string().optional(),
      group: id('group').optional(),
      tags: z.array(z.string().min(1)).default([]),
      dependsOn: z.array(z.string()).default([]),
      maintenance: z.array(maintenanceWindowSchema).default([]),
      flag: flagKey.optional(),
      paused: z.boolean().default(false),
      ...tuning,
      ...sections,
    })
    .strict();
  return z
    .object({
      defaults: z.object(tuning).strict().default({}),
      groups: z.array(groupSchema).default([]),
      monitors: z.array(monitor).default([]),
      storage: storageSchema.default({ type: 'sqlite', path: './data/vigil.db' }),
      // Sections later parts of Vigil define; accepted here so a config can carry them.
      server: serverSchema.default({
        host: '127.0.0.1',
        port: 8080,
        publicBoard: false,
        publicMetrics: false,
        secureCookies: 'auto',
        sessionTtl: 7 * 86_400_000,
        trustProxy: false,
      }),
      notifiers: z.array(notifierEntrySchema).default([]),
      alerts: z.array(alertRuleSchema).default([]),
      flags: flagsSchema.optional(),
    })
    .strict();
}

export type RawConfig = z.output<ReturnType<typeof configSchema>>;
export type RawMonitor = RawConfig['monitors'][number];
export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;
export type GroupConfig = z.output<typeof groupSchema>;
export type StorageConfig = z.output<typeof storageSchema>;
export type ServerConfig = z.output<typeof serverSchema>;
export type RetentionConfig = z.output<typeof retentionSchema>;
