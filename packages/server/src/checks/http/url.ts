import { z } from 'zod';

/** An absolute http:// or https:// URL in config (`htp:/x` and `ftp://x` are refused). */
export const httpUrlSchema = z.string().transform((value, ctx) => {
  const text = value.trim();
  let url: URL | undefined;
  try {
    url = /^https?:\/\/[^/]/i.test(text) ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not an http:// or https:// URL`,
    });
    return z.NEVER;
  }
  return text;
});

/** Query parameters whose values are hidden in messages: they often carry credentials. */
const SECRET_PARAM = /token|key|secret|passw|pwd|auth|sig|session|credential|code/i;

/**
 * A URL as messages and details show it: without user and password, and with the values of query
 * parameters that look like credentials (`token`, `api_key`, `signature`…) replaced by `***`.
 */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  let hidden = false;
  for (const name of new Set(shown.searchParams.keys()))
    if (SECRET_PARAM.test(name)) {
      shown.searchParams.set(name, '***');
      hidden = true;
    }
  return hidden ? shown.href.replaceAll('%2A', '*') : shown.href;
}

/** The `Authorization: Basic …` value for a URL with user info, or undefined. */
export function basicAuthorization(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** The URL without user info (which undici refuses; it is sent as an Authorization header instead). */
export function withoutCredentials(url: URL): URL {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}
