import { describe, expect, it } from 'vitest';
import {
  decodeDetails,
  decodeOutcome,
  decodePhases,
  decodeState,
  encodeDetails,
  encodeOutcome,
  encodePhases,
  toMicros,
  truncate,
} from './codec.js';
import { gapLimitMs } from './gaps.js';
import {
  BUCKETS,
  bucketBounds,
  bucketOf,
  bucketUpperUs,
  exactQuantile,
  quantileFromHistogram,
} from './histogram.js';
import { defaultRetention, resolveRetention } from './retention.js';
import { bucketStart, pickTier } from './tiers.js';
import { uptimeOf, type PeriodRow } from './uptime.js';

const H = 3_600_000;

describe('codec', () => {
  it('round-trips outcomes as small integers; unknown codes read as pending', () => {
    for (const o of ['ok', 'fail', 'degraded', 'pending'] as const)
      expect(decodeOutcome(encodeOutcome(o))).toBe(o);
    expect(decodeOutcome(9)).toBe('pending');
    expect(() => encodeOutcome('nope' as never)).toThrow(RangeError);
  });

  it.each([
    [{ connect: 1.01 }, 3],
    [{ dns: 0.5, connect: 12.34, tls: 40, ttfb: 300.25, transfer: 2, total: 355.1 }, 16],
    [{ query: 65_000 }, 5],
  ])('packs phases %j into %i bytes and back', (phases, bytes) => {
    const packed = encodePhases(phases);
    expect(packed).toHaveLength(bytes);
    expect(decodePhases(packed)).toEqual(phases);
  });

  it('stores no phases as null, and rejects a truncated blob', () => {
    expect(encodePhases(undefined)).toBeNull();
    expect(encodePhases({})).toBeNull();
    expect(decodePhases(null)).toBeUndefined();
    expect(() => decodePhases(Uint8Array.from([3, 0x80]))).toThrow(/truncated/);
  });

  it('cuts long messages with an ellipsis and converts ms to µs', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(toMicros(1.234)).toBe(1234);
    expect(toMicros(-1)).toBe(0);
    expect(toMicros(Number.NaN)).toBe(0);
  });

  it('encodes details as JSON, empty as ""', () => {
    expect(encodeDetails(undefined)).toBe('');
    expect(encodeDetails({})).toBe('');
    expect(decodeDetails(encodeDetails({ status: 503 }))).toEqual({ status: 503 });
    expect(decodeDetails('')).toBeUndefined();
    expect(decodeDetails('{bad')).toBeUndefined();
    expect(decodeDetails('3')).toBeUndefined();
  });

  it('reads back a persisted state, restoring previousDelayMs, and refuses what is not one', () => {
    const s = {
      status: 'down',
      reason: 'r',
      since: 1,
      lifecycle: 'backing-off',
      confirmed: 'down',
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      backoff: { attempt: 0 },
      future: 'kept',
    };
    expect(decodeState(JSON.stringify(s))).toEqual({
      ...s,
      backoff: { attempt: 0, previousDelayMs: undefined },
    });
    for (const bad of [
      'nope',
      '1',
      JSON.stringify({ ...s, since: 'x' }),
      JSON.stringify({ ...s, backoff: null }),
    ])
      expect(decodeState(bad)).toBeUndefined();
    expect(decodeState(JSON.stringify({ ...s, reason: 1 }))).toBeUndefined();
    expect(decodeState(JSON.stringify({ ...s, status: 1 }))).toBeUndefined();
  });
});

describe('histogram', () => {
  it('has half-octave buckets from 0.25 ms to 131 s', () => {
    expect(bucketUpperUs).toHaveLength(BUCKETS - 1);
    expect(bucketUpperUs[0]).toBe(250);
    expect(bucketUpperUs.at(-1)).toBe(131_072_000);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(249)).toBe(0);
    expect(bucketOf(250)).toBe(1);
    expect(bucketOf(10_000_000_000)).toBe(BUCKETS - 1);
    expect(bucketBounds(0)).toEqual([0, 250]);
    expect(bucketBounds(BUCKETS - 1)).toEqual([131_072_000, Infinity]);
  });

  it('interpolates inside the bucket and clamps to min and max', () => {
    const histogram = new Array<number>(BUCKETS).fill(0);
    histogram[bucketOf(1000)] = 4; // [1000, 1414)
    const stats = { count: 4, sumUs: 4400, minUs: 1000, maxUs: 1200, histogram };
    expect(quantileFromHistogram(stats, 0.25)).toBe(1050);
    expect(quantileFromHistogram(stats, 1)).toBe(1200);
    expect(quantileFromHistogram({ ...stats, count: 0 }, 0.5)).toBeNull();
    expect(() => quantileFromHistogram(stats, 0)).toThrow(RangeError);
    expect(exactQuantile([], 0.5)).toBeNull();
    expect(exactQuantile([3, 1, 2], 0.5)).toBe(2);
  });
});

describe('tiers and retention', () => {
  it('aligns buckets to UTC minutes, hours and days', () => {
    const t = Date.UTC(2026, 0, 2, 13, 45, 30, 500);
    expect(bucketStart(t, 'minute')).toBe(Date.UTC(2026, 0, 2, 13, 45));
    expect(bucketStart(t, 'hour')).toBe(Date.UTC(2026, 0, 2, 13));
    expect(bucketStart(t, 'day')).toBe(Date.UTC(2026, 0, 2));
  });

  it('falls back to a coarser tier when retention does not reach back', () => {
    const now = 1000 * 24 * H;
    expect(pickTier(now - H, now, now, defaultRetention)).toBe('raw');
    expect(pickTier(now - 20 * 24 * H, now - 20 * 24 * H + H, now, defaultRetention)).toBe('hour');
    expect(pickTier(now - 500 * 24 * H, now - 499 * 24 * H, now, defaultRetention)).toBe('day');
  });

  it('merges retention over the defaults and names a bad key', () => {
    expect(resolveRetention({ raw: H })).toMatchObject({
      raw: H,
      minute: defaultRetention.minute,
      day: Infinity,
    });
    expect(() => resolveRetention({ hour: -1 })).toThrow(/retention\.hour/);
  });

  it('takes three intervals, at least a minute, as a gap', () => {
    expect(gapLimitMs(10_000)).toBe(60_000);
    expect(gapLimitMs(300_000)).toBe(900_000);
  });
});

describe('uptimeOf', () => {
  const row = (
    status: PeriodRow['status'],
    startedAt: number,
    endedAt: number | null,
    lastSeenAt: number | null = null,
  ): PeriodRow => ({
    status,
    startedAt,
    endedAt,
    lastSeenAt,
  });

  it.each([
    ['one hour up', [row('up', 0, H)], 0, 2 * H, { upMs: H, observedMs: H, uptime: 1 }],
    ['down half the window', [row('up', 0, H), row('down', H, 2 * H)], 0, 2 * H, { uptime: 0.5 }],
    [
      'degraded counts as up',
      [row('degraded', 0, H), row('down', H, 3 * H)],
      0,
      3 * H,
      { degradedMs: H, uptime: 1 / 3 },
    ],
    ['clipped to the window', [row('up', 0, 10 * H)], 2 * H, 3 * H, { upMs: H }],
    [
      'open, observed until its last result',
      [row('up', 0, null, 90 * 60_000)],
      0,
      3 * H,
      { upMs: 1.5 * H },
    ],
    [
      'open maintenance lasts until now',
      [row('maintenance', 0, null)],
      0,
      3 * H,
      { maintenanceMs: 2 * H, uptime: null },
    ],
    [
      'paused and pending are not observed',
      [row('paused', 0, H), row('pending', H, 2 * H)],
      0,
      2 * H,
      { pausedMs: H, pendingMs: H, uptime: null },
    ],
    [
      'overlapping rows count once',
      [row('up', 0, 2 * H), row('down', H, 2 * H)],
      0,
      2 * H,
      { upMs: H, downMs: H },
    ],
  ])('%s', (_name, rows, from, to, expected) => {
    expect(uptimeOf(rows, { from, to }, 2 * H)).toMatchObject(expected);
  });
});
