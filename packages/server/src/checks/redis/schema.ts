import { z } from 'zod';

/** One assertion on an `INFO` field: `equals` for text, `min`/`max` for numbers. */
export const infoAssertion = z
  .object({
    /** `field` or `section.field`, e.g. `role`, `replication.master_link_status`, `connected_clients`. */
    field: z
      .string()
      .regex(
        /^([a-z_]+\.)?[A-Za-z0-9_]+$/,
        'a field name such as role or replication.master_link_status',
      ),
    equals: z.union([z.string(), z.number()]).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** What a failed assertion reports: `fail` (default) or `degraded`. */
    severity: z.enum(['fail', 'degraded']).default('fail'),
  })
  .strict()
  .refine((a) => a.equals !== undefined || a.min !== undefined || a.max !== undefined, {
    message: 'give equals, min or max',
  })
  .refine((a) => a.equals === undefined || (a.min === undefined && a.max === undefined), {
    message: 'equals cannot be combined with min/max',
  });

const tlsOptions = z
  .union([
    z.boolean(),
    z
      .object({
        servername: z.string().optional(),
        rejectUnauthorized: z.boolean().default(true),
        ca: z.string().optional(),
      })
      .strict(),
  ])
  .default(false);

export const redisSchema = z
  .object({
    /** `redis://[user:password@]host[:port][/db]` or `rediss://` for TLS, instead of host/port/…. */
    url: z
      .string()
      .refine((u) => /^rediss?:\/\/[^/]/.test(u) && URL.canParse(u), {
        message: 'is not a redis:// or rediss:// URL',
      })
      .optional(),
    host: z.string().min(1).optional(),
    port: z.int().min(1).max(65535).optional(),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    db: z.int().min(0).max(1_000_000).optional(),
    tls: tlsOptions,
    /** Assertions on `INFO` fields; INFO is read only when there is at least one. */
    info: z.array(infoAssertion).max(50).default([]),
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.host === undefined), {
    message: 'give either url or host',
  })
  .refine((c) => c.url === undefined || c.port === undefined, {
    message: 'port goes in the url',
    path: ['port'],
  })
  .refine((c) => c.username === undefined || c.password !== undefined, {
    message: 'username needs a password',
    path: ['username'],
  });

export type RedisCheckConfig = z.output<typeof redisSchema>;
export type InfoAssertion = z.output<typeof infoAssertion>;
