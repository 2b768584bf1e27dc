import type { Dispatcher } from 'undici';
import { discard } from './body.js';
import type { HttpDispatcher } from './kept-connections.js';
import type { PreparedHttp } from './prepare.js';
import type { RunTrace } from './trace.js';
import { displayUrl } from './url.js';

/** The response the check judges: the last one, after any redirects followed. */
export interface FinalResponse {
  readonly url: URL;
  readonly status: number;
  /** Header values by lower-case name; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
  readonly redirects: number;
}

/** The response, or why there is none to judge (a redirect loop, too many redirects, a bad Location). */
export type Exchange =
  | { readonly kind: 'response'; readonly response: FinalResponse }
  | { readonly kind: 'failure'; readonly message: string; readonly redirects: number };

interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers not sent on to another origin after a redirect (as browsers and fetch do). */
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

/** Sends the request and follows redirects (when configured) up to `maxRedirects`. */
export async function exchange(
  prepared: PreparedHttp,
  agent: HttpDispatcher,
  trace: RunTrace,
  signal: AbortSignal,
): Promise<Exchange> {
  const { followRedirects, maxRedirects } = prepared.config;
  let hop: Hop = {
    url: prepared.url,
    method: prepared.config.method,
    headers: prepared.headers,
    ...(prepared.body === undefined ? {} : { body: prepared.body }),
  };
  const visited = [displayUrl(hop.url)];
  for (let redirects = 0; ; redirects += 1) {
    const response = await send(hop, agent, trace, signal);
    const header = response.headers.location;
    const location = Array.isArray(header) ? header[0] : header;
    if (!followRedirects || !REDIRECTS.has(response.statusCode) || location === undefined)
      return { kind: 'response', response: final(hop.url, response, redirects) };
    discard(response.body);
    const next = URL.canParse(location, hop.url.href) ? new URL(location, hop.url) : undefined;
    if (next === undefined || (next.protocol !== 'http:' && next.protocol !== 'https:'))
      return {
        kind: 'failure',
        message: `${visited.at(-1) ?? ''} redirects to ${JSON.stringify(location.slice(0, 100))}, which is not an http(s) URL`,
        redirects,
      };
    visited.push(displayUrl(next));
    if (redirects === maxRedirects)
      return { kind: 'failure', message: tooMany(visited, maxRedirects), redirects };
    hop = redirected(hop, response.statusCode, next);
  }
}

async function send(
  hop: Hop,
  agent: HttpDispatcher,
  trace: RunTrace,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  const port = hop.url.port === '' ? (hop.url.protocol === 'https:' ? 443 : 80) : hop.url.port;
  trace.requesting(displayUrl(hop.url), `${hop.url.hostname}:${port}`);
  const response = await agent.request({
    origin: hop.url.origin,
    path: `${hop.url.pathname}${hop.url.search}`,
    method: hop.method,
    headers: hop.headers,
    ...(hop.body === undefined ? {} : { body: hop.body }),
    signal,
  });
  trace.responded();
  return response;
}

function final(url: URL, response: Dispatcher.ResponseData, redirects: number): FinalResponse {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { url, status: response.statusCode, headers, body: response.body, redirects };
}

/** The next hop: 303 (and 301/302 after a POST) becomes a GET without body; credentials stay home. */
function redirected(hop: Hop, status: number, next: URL): Hop {
  const toGet = status === 303 || ((status === 301 || status === 302) && hop.method === 'POST');
  const dropped = new Set([
    ...(next.origin === hop.url.origin ? [] : CREDENTIALS),
    ...(toGet ? ['content-type', 'content-length'] : []),
  ]);
  const headers = Object.fromEntries(
    Object.entries(hop.headers).filter(([name]) => !dropped.has(name)),
  );
  const method = toGet && hop.method !== 'HEAD' ? 'GET' : hop.method;
  return {
    url: next,
    method,
    headers,
    ...(toGet || hop.body === undefined ? {} : { body: hop.body }),
  };
}

/**
 * `redirect loop after 5 redirects (https://a → https://b → https://a)` when a URL came back, else
 * `more than 5 redirects (https://a → … → https://g)`.
 */
function tooMany(visited: readonly string[], max: number): string {
  if (max === 0) return `${visited[0] ?? ''} redirects to ${visited[1] ?? ''} (maxRedirects is 0)`;
  for (let i = 1; i < visited.length; i += 1) {
    const first = visited.indexOf(visited[i] ?? '');
    if (first < i)
      return `redirect loop after ${max} redirects (${visited.slice(first, i + 1).join(' → ')})`;
  }
  const shown = visited.length <= 6 ? visited : [...visited.slice(0, 3), '…', ...visited.slice(-2)];
  return `more than ${max} redirects (${shown.join(' → ')})`;
}
