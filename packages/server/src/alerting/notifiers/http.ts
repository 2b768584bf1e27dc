import { request } from 'undici';
import type { SendContext, SendResult } from '../notifier.js';
import { parseRetryAfter } from './retry-after.js';
import { hostOf } from './url.js';

/** At most this much of a response body is read (an error page can be large; we keep a snippet). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** How much of an error response's body an error message quotes. */
const SNIPPET_CHARS = 200;

/** One HTTP request a notifier sends. */
export interface HttpRequest {
  /** Named in messages: `Slack`, `PagerDuty`. */
  readonly service: string;
  readonly url: string;
  /** Default `POST`. */
  readonly method?: 'POST' | 'PUT' | 'PATCH';
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, already serialised (JSON unless `content-type` says otherwise). */
  readonly body: string;
  /** Values that must never appear in a message (tokens, keys, webhook URLs); replaced by `***`. */
  readonly secrets?: readonly (string | undefined)[];
  /** A delay the receiver asks for in its JSON body (Discord, Telegram, Matrix), in ms. */
  readonly retryAfterFromBody?: (json: unknown) => number | undefined;
  /** A 2xx that still failed (Telegram's `{"ok":false}`): returns why, or undefined when it is fine. */
  readonly rejectOk?: (text: string) => string | undefined;
}

/** Statuses worth retrying: timeouts, rate limits and server errors. Other 4xx will fail the same way. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Sends one request and classifies the outcome as a {@link SendResult}: 2xx → ok; 408, 425, 429 and 5xx →
 * retryable (with `retryAfterMs` from `Retry-After` or the body); other statuses → not retryable; network
 * errors and an aborted signal → retryable, except TLS certificate errors. Never throws; messages name the
 * endpoint's host only and have every secret masked.
 */
export async function sendHttp(req: HttpRequest, ctx: SendContext): Promise<SendResult> {
  const host = hostOf(req.url);
  const { url, authorization, credentials } = splitCredentials(req.url);
  const mask = masker([...(req.secrets ?? []), ...credentials]);
  try {
    const response = await request(url, {
      method: req.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vigil',
        ...(authorization === undefined ? {} : { authorization }),
        // Lower-cased, so a configured `Content-Type` replaces ours instead of being sent twice.
        ...Object.fromEntries(
          Object.entries(req.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
        ),
      },
      body: req.body,
      signal: ctx.signal,
    });
    const text = await readCapped(response.body);
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      const refused = req.rejectOk?.(text);
      if (refused === undefined) return { ok: true, detail: `HTTP ${status} from ${host}` };
      return {
        ok: false,
        retryable: false,
        status,
        error: mask(`${req.service} at ${host} refused the message: ${refused}`),
      };
    }
    const retryAfterMs = retryAfter(response.headers['retry-after'], text, req, ctx);
    const snippet = snippetOf(text);
    return {
      ok: false,
      retryable: retryableStatus(status),
      status,
      error: mask(`${req.service} at ${host} answered HTTP ${status}${snippet}${hintFor(status)}`),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (error) {
    return networkFailure(req.service, host, error, ctx.signal, mask);
  }
}

/**
 * A URL's user info (`https://user:pass@host/…`), which undici refuses, as a Basic `Authorization`
 * header, and the URL without it.
 */
function splitCredentials(raw: string): {
  url: string;
  authorization?: string;
  credentials: string[];
} {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url === undefined || (url.username === '' && url.password === ''))
    return { url: raw, credentials: [] };
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const encoded = Buffer.from(`${user}:${pass}`).toString('base64');
  return { url: url.href, authorization: `Basic ${encoded}`, credentials: [user, pass, encoded] };
}

/** Describes a request that got no response. */
export function networkFailure(
  service: string,
  host: string,
  error: unknown,
  signal: AbortSignal,
  mask: (text: string) => string,
): SendResult {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return {
      ok: false,
      retryable: true,
      error: `${service} at ${host}: ${timedOut ? 'timed out' : 'aborted (timeout or shutdown)'} before an answer`,
    };
  }
  const code = errorCode(error);
  const certificate = code !== undefined && /CERT|SELF_SIGNED|ALTNAME/.test(code);
  const what =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND'
        ? 'cannot resolve the host name'
        : `${code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
  return { ok: false, retryable: !certificate, error: mask(`${service} at ${host}: ${what}`) };
}

/** What to do about a status that will not go away by itself. */
function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the token or key in the config)';
  if (status === 404 || status === 410)
    return ' (check the URL: the webhook or integration may have been deleted)';
  if (status === 413) return ' (the message is too large for the channel)';
  return '';
}

function retryAfter(
  header: string | string[] | undefined,
  text: string,
  req: HttpRequest,
  ctx: SendContext,
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const fromHeader = parseRetryAfter(value, ctx.clock.now());
  if (fromHeader !== undefined || req.retryAfterFromBody === undefined) return fromHeader;
  try {
    return req.retryAfterFromBody(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Reads at most {@link MAX_RESPONSE_BYTES} of a body, then stops reading and drops the rest. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '';
  return `: ${flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat}`;
}

/** Replaces every secret (and its URL-encoded form) in a text by `***`. */
export function masker(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = secrets
    .flatMap((s) => (s === undefined || s.length < 4 ? [] : [s, encodeURIComponent(s)]))
    .sort((a, b) => b.length - a.length);
  return (text) => values.reduce((out, s) => out.split(s).join('***'), text);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = e.cause;
  }
  return undefined;
}
