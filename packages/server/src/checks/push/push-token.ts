import { createHash, createHmac } from 'node:crypto';

/** Push tokens are URL-safe (they travel in the push URL's path) and long enough not to be guessed. */
export const PUSH_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export const PUSH_TOKEN_RULE =
  'must be 16–128 letters, digits, "-" or "_"; generate one with `openssl rand -hex 16`';

/**
 * The token of a push monitor configured without one: an HMAC of its id under the server's secret, so it is
 * stable across restarts, differs per monitor, and cannot be guessed without the secret. 32 characters.
 */
export function derivePushToken(secret: string | Uint8Array, monitorId: string): string {
  return createHmac('sha256', secret)
    .update(`vigil push token v1\0${monitorId}`)
    .digest('base64url')
    .slice(0, 32);
}

/** The SHA-256 digest a token is looked up and compared by (never the token itself). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
