import { z } from 'zod';
import { duration } from '../../config/index.js';
import { jsonExpectationSchema } from './json-assert.js';
import { keyedRecord } from './keyed-record.js';
import { parseJsonPath } from './json-path.js';
import { regexSchema } from './regex.js';
import { statusSchema } from './status.js';
import { httpUrlSchema } from './url.js';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MiB = 1_048_576;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerValue = z
  .string()
  .refine((v) => !/[\r\n\0]/.test(v), { message: 'must not contain CR, LF or NUL' });
/** A record keyed by header names; a bad name is reported under its own key. */
const byHeaderName = <T extends z.ZodType>(value: T) =>
  keyedRecord((name) => (HEADER_NAME.test(name) ? undefined : 'is not a valid header name'), value);

const atLeastOne = (fields: string) => ({
  message: `expected at least one of ${fields}`,
});

/** JSONPath → expected value; a path that does not parse is reported under its own key. */
const jsonExpectations = keyedRecord((path) => {
  try {
    parseJsonPath(path);
    return undefined;
  } catch (error) {
    return `is not a JSONPath: ${(error as Error).message}`;
  }
}, jsonExpectationSchema);

const bodyExpectation = z
  .object({
    /** Text the body must contain. */
    contains: z.string().min(1).optional(),
    /** Text the body must not contain (an error page's "Exception"). */
    notContains: z.string().min(1).optional(),
    /** A regular expression the body must match. */
    matches: regexSchema.optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, atLeastOne('contains, notContains, matches'));

const headerExpectation = z.union([
  z.string(),
  z
    .object({
      contains: z.string().min(1).optional(),
      matches: regexSchema.optional(),
      exists: z.boolean().optional(),
    })
    .strict()
    .refine((o) => Object.keys(o).length > 0, atLeastOne('contains, matches, exists')),
]);

const expectSchema = z
  .object({
    /** Statuses that pass (default: 2xx or 3xx). */
    status: statusSchema.optional(),
    json: jsonExpectations.optional(),
    body: bodyExpectation.optional(),
    /** Response header (any case) → exact value, or `{ contains | matches | exists }`. */
    headers: byHeaderName(headerExpectation).optional(),
    /** Slower than this (the whole check: redirects and body included) → `degraded`. */
    responseTimeMs: duration({ min: 1 }).optional(),
    certificate: z
      .object({
        /** A certificate expiring in fewer days → `degraded`; 0 turns the warning off. */
        minDaysValid: z.number().min(0).max(3650).default(14),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const tlsOptions = z
  .object({
    /** Refuse a certificate that does not verify (expired, self-signed, wrong host). */
    rejectUnauthorized: z.boolean().default(true),
    /** A PEM file of extra trusted certificates (a private CA), relative to the config file. */
    ca: z.string().min(1).optional(),
    /** SNI name and the name the certificate must match, for the URL's host (default: that host). */
    servername: z.string().min(1).optional(),
  })
  .strict();

/** Config of an `http` check. */
export const httpSchema = z
  .object({
    url: httpUrlSchema,
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS))
      .default('GET'),
    headers: byHeaderName(headerValue).default({}),
    /** A string is sent as is; an object or array as JSON (with `content-type: application/json`). */
    body: z.union([z.string(), z.record(z.string(), z.json()), z.array(z.json())]).optional(),
    followRedirects: z.boolean().default(true),
    maxRedirects: z.int().min(0).max(20).default(5),
    /**
     * Keep the connection open between runs when the server allows (HTTP keep-alive); default a fresh
     * connection (and full TLS handshake) every run, closed when the run ends.
     */
    keepAlive: z.boolean().default(false),
    tls: tlsOptions.prefault({}),
    /** The largest response body accepted: a larger one fails the check after reading this much. */
    maxBodyBytes: z
      .int()
      .min(1)
      .max(64 * MiB)
      .default(MiB),
    expect: expectSchema.prefault({}),
  })
  .strict()
  .refine((c) => c.body === undefined || (c.method !== 'GET' && c.method !== 'HEAD'), {
    message: 'a GET or HEAD request cannot have a body; set method (e.g. POST)',
    path: ['body'],
  });

export type HttpCheckConfig = z.output<typeof httpSchema>;
export type HttpExpect = HttpCheckConfig['expect'];
