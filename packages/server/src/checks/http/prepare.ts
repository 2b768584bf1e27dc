import { jsonAssertion, type JsonAssertion } from './json-assert.js';
import type { HttpCheckConfig } from './schema.js';
import { defaultStatuses, type StatusRange } from './status.js';
import { basicAuthorization, withoutCredentials } from './url.js';

const USER_AGENT = 'Vigil/0.1 (health check)';

/** An http check's config compiled once: the request to send and the assertions to apply. */
export interface PreparedHttp {
  readonly config: HttpCheckConfig;
  /** The URL to request, without user info. */
  readonly url: URL;
  /** Request headers, lower-case names, defaults merged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly statuses: readonly StatusRange[];
  /** Whether `expect.status` was set (messages then say what was expected). */
  readonly explicitStatus: boolean;
  readonly json: readonly JsonAssertion[];
  readonly bodyPattern?: RegExp;
  readonly headerChecks: readonly HeaderCheck[];
  /** Whether an assertion reads the body text (JSON or body). */
  readonly readsBody: boolean;
}

/** A response-header assertion: returns why the value fails it, or undefined. */
export type HeaderCheck = (
  headers: Readonly<Record<string, string | undefined>>,
) => string | undefined;

export function prepareHttp(config: HttpCheckConfig): PreparedHttp {
  const url = new URL(config.url);
  const { body, contentType } = requestBody(config.body);
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
  };
  const auth = basicAuthorization(url);
  if (auth !== undefined) headers.authorization = auth;
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
  const { expect } = config;
  return {
    config,
    url: withoutCredentials(url),
    headers,
    ...(body === undefined ? {} : { body }),
    statuses: expect.status ?? defaultStatuses,
    explicitStatus: expect.status !== undefined,
    json: Object.entries(expect.json ?? {}).map(([path, wanted]) => jsonAssertion(path, wanted)),
    ...(expect.body?.matches === undefined ? {} : { bodyPattern: new RegExp(expect.body.matches) }),
    readsBody: expect.body !== undefined || expect.json !== undefined,
    headerChecks: Object.entries(expect.headers ?? {}).map(([name, wanted]) =>
      headerCheck(name.toLowerCase(), wanted),
    ),
  };
}

function requestBody(body: HttpCheckConfig['body']): { body?: string; contentType?: string } {
  if (body === undefined) return {};
  if (typeof body === 'string') return { body };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

type HeaderExpectation = NonNullable<HttpCheckConfig['expect']['headers']>[string];

function headerCheck(name: string, wanted: HeaderExpectation): HeaderCheck {
  const spec = typeof wanted === 'string' ? { equals: wanted } : wanted;
  const pattern =
    'matches' in spec && spec.matches !== undefined ? new RegExp(spec.matches) : undefined;
  return (headers) => {
    const value = headers[name];
    const label = `header ${name}`;
    if (value === undefined) {
      if ('exists' in spec && spec.exists === false) return undefined;
      return `${label} is missing${'equals' in spec ? `, expected ${JSON.stringify(spec.equals)}` : ''}`;
    }
    const is = `${label} is ${JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value)}`;
    if ('equals' in spec && value !== spec.equals)
      return `${is}, expected ${JSON.stringify(spec.equals)}`;
    if ('exists' in spec && spec.exists === false) return `${is}, expected it to be absent`;
    if ('contains' in spec && spec.contains !== undefined && !value.includes(spec.contains))
      return `${is}, expected it to contain ${JSON.stringify(spec.contains)}`;
    if (pattern !== undefined && !pattern.test(value))
      return `${is}, expected it to match ${String(pattern)}`;
    return undefined;
  };
}
