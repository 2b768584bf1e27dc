import { z } from 'zod';

/** Config of a `tls` check. */
export const tlsSchema = z
  .object({
    host: z.string().min(1),
    port: z.int().min(1).max(65535).default(443),
    /** SNI name and the name the certificate must match (default: host). */
    servername: z.string().min(1).optional(),
    /** A PEM file of extra trusted certificates (a private CA), relative to the config file. */
    ca: z.string().min(1).optional(),
    /** Fail when the chain or host name does not verify. `false`: watch expiry only. */
    rejectUnauthorized: z.boolean().default(true),
    /** `degraded` when the certificate expires in fewer than this many days. */
    warnDays: z.number().min(0).max(3650).default(14),
    /** `fail` when the certificate expires in fewer than this many days (an expired one always fails). */
    failDays: z.number().min(0).max(3650).default(0),
  })
  .strict()
  .refine((c) => c.failDays <= c.warnDays, {
    message: 'must not be more than warnDays',
    path: ['failDays'],
  });

export type TlsCheckConfig = z.output<typeof tlsSchema>;
