// Verifying Vigil's webhook signature in a receiver: recompute the HMAC-SHA256 of the raw body (the exact
// bytes received, before any JSON parsing) under the shared secret and compare in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` (`sha256=<hex>`, from `X-Vigil-Signature`) signs `rawBody` under `secret`. */
export function verifyVigilSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secret: string,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`,
  );
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
