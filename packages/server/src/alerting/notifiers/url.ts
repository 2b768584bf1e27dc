import { z } from 'zod';

/**
 * An absolute http:// or https:// URL in a notifier's config (`htp:/x`, `ftp://x` and `hooks.slack.com/…`
 * are refused with a message saying so). The value is kept as written, trimmed.
 */
export const endpointUrl = z.string().transform((value, ctx) => {
  const text = value.trim();
  let ok = false;
  try {
    ok = /^https?:\/\/[^/]/i.test(text) && new URL(text).hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not an http:// or https:// URL`,
    });
    return z.NEVER;
  }
  return text;
});

/** A non-empty secret (token, key, password), usually written `${ENV_VAR}` in the config. */
export const secret = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `${what} must not be empty (set it, e.g. from \${ENV_VAR})` });

/** `base` + `path`, with exactly one slash between them (a base URL may end in `/` or not). */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** `host:port` of a URL as error messages show it: never its path, query or user info (they carry tokens). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * The parts of a URL that may carry a credential (user info, path, query), to mask in messages: a Slack,
 * Discord or Teams webhook URL is itself the secret.
 */
export function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.username, u.password, u.pathname.length > 8 ? u.pathname : '', u.search].filter(
      (s) => s.length >= 4,
    );
  } catch {
    return [];
  }
}
