/** The longest wait a receiver may ask for; past it the value is taken as a mistake and ignored. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Reads an HTTP `Retry-After` value — delay seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`) — as ms from `nowMs` (wall time, from the clock). A date in the past
 * gives 0; a missing, malformed or absurd (over a day) value gives undefined.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Math.round(Number(text) * 1000);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

/** A delay in seconds from a JSON error body (Discord's and Telegram's `retry_after`), as ms. */
export function secondsToMs(seconds: unknown): number | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  const ms = Math.ceil(seconds * 1000);
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
