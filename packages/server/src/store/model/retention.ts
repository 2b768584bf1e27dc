/** How long each kind of data is kept, ms (`Infinity`: forever). */
export interface Retention {
  readonly raw: number;
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  /** Status periods (incidents); uptime over a window needs them. */
  readonly incidents: number;
  /** Delivered or given-up outbox rows and their delivery log. */
  readonly outbox: number;
}

const DAY = 86_400_000;

/** Defaults: raw 14 d, minute 3 d, hour 400 d, day forever, incidents forever, outbox 30 d. */
export const defaultRetention: Retention = Object.freeze({
  raw: 14 * DAY,
  minute: 3 * DAY,
  hour: 400 * DAY,
  day: Infinity,
  incidents: Infinity,
  outbox: 30 * DAY,
});

/** Merges `partial` over the defaults; throws a `RangeError` naming the key for a bad value. */
export function resolveRetention(partial: Partial<Retention> = {}): Retention {
  const out = { ...defaultRetention, ...partial };
  for (const [key, value] of Object.entries(out)) {
    if (!(typeof value === 'number' && value > 0)) {
      throw new RangeError(`retention.${key} must be a positive duration, got ${String(value)}`);
    }
  }
  return Object.freeze(out);
}
