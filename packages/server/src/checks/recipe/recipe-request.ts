import { z } from 'zod';
import type { RecipeRequest } from './define-recipe.js';

const MiB = 1024 * 1024;

const httpUrl = z.string().refine(
  (u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http(s) URL' },
);

const requestSchema = z
  .object({
    url: httpUrl,
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
    acceptStatus: z.union([z.literal('any'), z.array(z.int().min(100).max(599))]).default([]),
    maxRedirects: z.int().min(0).max(20).default(5),
    maxBytes: z
      .int()
      .min(1)
      .max(10 * MiB)
      .default(MiB),
  })
  .strict();

/** A validated request with defaults applied and the body encoded. */
export interface PreparedRequest {
  readonly url: string;
  readonly method: NonNullable<RecipeRequest['method']>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly acceptStatus: 'any' | readonly number[];
  readonly maxRedirects: number;
  readonly maxBytes: number;
  /** The URL without its query string or credentials, for messages. */
  readonly target: string;
}

/** Validates a recipe's request; returns it prepared, or the problems as one line. */
export function prepareRequest(
  value: unknown,
): { ok: true; request: PreparedRequest } | { ok: false; problem: string } {
  const parsed = requestSchema.safeParse(value);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((i) => (i.path.length === 0 ? i.message : `${i.path.join('.')} ${i.message}`))
      .join('; ');
    return { ok: false, problem };
  }
  const { body, headers, ...rest } = parsed.data;
  const encoded = encodeBody(body);
  if (encoded === null) return { ok: false, problem: 'body cannot be sent as JSON' };
  const json = typeof body !== 'string' && body !== undefined;
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  return {
    ok: true,
    request: {
      ...rest,
      headers: json && !hasType ? { ...headers, 'content-type': 'application/json' } : headers,
      body: encoded,
      target: redactUrl(rest.url),
    },
  };
}

/** The body as sent: a string as is, anything else as JSON; `null` when it cannot be JSON. */
function encodeBody(body: unknown): string | undefined | null {
  if (body === undefined || typeof body === 'string') return body;
  try {
    // JSON.stringify returns undefined for a function or a symbol, whatever its type says.
    const text: unknown = JSON.stringify(body);
    return typeof text === 'string' ? text : null;
  } catch {
    return null;
  }
}

/** `https://ci.example.com/api/builds?token=s3cret` → `https://ci.example.com/api/builds?…`. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}${u.search === '' ? '' : '?…'}`;
}
