import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError, elapsed } from '../result.js';
import type { RecipeResponse } from './define-recipe.js';
import type { PreparedRequest } from './recipe-request.js';

/** A response ready for the recipe, or why there is none (the check then fails with this message). */
export type Fetched =
  | { readonly ok: true; readonly response: RecipeResponse; readonly ttfbMs: number }
  | { readonly ok: false; readonly message: string; readonly status?: number };

const JSON_ERROR = Symbol.for('vigil.recipe.invalidJson');

/** The error `response.json()` throws for a body that is not JSON; the check turns it into a failure. */
export class InvalidJsonError extends SyntaxError {
  readonly [JSON_ERROR] = true;
}

/** True for the error `response.json()` throws on invalid JSON. */
export function isInvalidJsonError(error: unknown): error is InvalidJsonError {
  return typeof error === 'object' && error !== null && JSON_ERROR in error;
}

/**
 * Sends a recipe's request: follows redirects, honours `ctx.signal`, reads at most `maxBytes` of body, and
 * fails (refused, timeout, status not accepted, body too large) without involving the recipe.
 */
export async function fetchForRecipe(
  req: PreparedRequest,
  ctx: CheckContext,
  start: number,
): Promise<Fetched> {
  const agent = new Agent({ connect: { timeout: ctx.timeoutMs } });
  const dispatcher: Dispatcher =
    req.maxRedirects > 0
      ? agent.compose(interceptors.redirect({ maxRedirections: req.maxRedirects }))
      : agent;
  const label = `${req.method} ${req.target}`;
  try {
    const res = await request(req.url, {
      dispatcher,
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: ctx.signal,
    });
    const ttfbMs = elapsed(ctx, start);
    if (!accepted(req.acceptStatus, res.statusCode)) {
      discard(res.body);
      const gaveUp = res.statusCode >= 300 && res.statusCode < 400 && req.maxRedirects > 0;
      const why = gaveUp ? ` (gave up after ${req.maxRedirects} redirects)` : '';
      return {
        ok: false,
        message: `HTTP ${res.statusCode} from ${label}${why}`,
        status: res.statusCode,
      };
    }
    const body = await readCapped(res.body, req.maxBytes);
    if (body === undefined)
      return { ok: false, message: `response body from ${label} exceeds ${req.maxBytes} bytes` };
    return { ok: true, ttfbMs, response: recipeResponse(res.statusCode, res.headers, body, label) };
  } catch (error) {
    return { ok: false, message: describeFetchError(error, label, ctx) };
  } finally {
    await agent.destroy();
  }
}

function accepted(acceptStatus: PreparedRequest['acceptStatus'], status: number): boolean {
  return (status >= 200 && status < 300) || acceptStatus === 'any' || acceptStatus.includes(status);
}

/** The body as UTF-8 text, or `undefined` once it passes `maxBytes` (the rest is not read). */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<string | undefined> {
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = '';
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      discard(body);
      return undefined;
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Stops reading a body; destroying emits an abort error, which must not go unhandled. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

function recipeResponse(
  status: number,
  raw: Dispatcher.ResponseData['headers'],
  body: string,
  label: string,
): RecipeResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  let parsed: { value: unknown } | undefined;
  return Object.freeze({
    status,
    headers: Object.freeze(headers),
    body,
    json(): unknown {
      parsed ??= { value: parseJson(body, label) };
      return parsed.value;
    },
  });
}

function parseJson(body: string, label: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InvalidJsonError(`response from ${label} is not valid JSON (${why})`);
  }
}

function describeFetchError(error: unknown, label: string, ctx: CheckContext): string {
  if (ctx.signal.aborted) return `timed out after ${formatDuration(ctx.timeoutMs)} (${label})`;
  if (error instanceof Error && error.message.startsWith('Redirect loop detected'))
    return `${label} redirects in a loop`;
  if (error instanceof Error && error.name === 'HTTPParserError') {
    const data = (error as Error & { data?: unknown }).data;
    const sent =
      typeof data === 'string' ? `it sent ${JSON.stringify(data.slice(0, 40))}` : error.message;
    return `${label} did not answer with HTTP (${sent})`;
  }
  return describeError(error, label, ctx);
}
