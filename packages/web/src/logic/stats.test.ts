import { describe, expect, it } from 'vitest';
import type { Bucket } from '../types';
import { dayCells, quantile, seriesFromBuckets, seriesFromResults } from './stats';

const DAY = 86_400_000;
const bucket = (start: number, counts: Partial<Bucket> = {}): Bucket => ({
  start,
  ok: 0,
  fail: 0,
  degraded: 0,
  pending: 0,
  latency: null,
  ...counts,
});

describe('chart statistics', () => {
  it.each([
    [[], 0.5, undefined],
    [[7], 0.95, 7],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[10, 20, 30, 40, 50], 0.95, 48],
  ])('quantile(%j, %d) = %j', (xs, q, want) => {
    expect(quantile(xs, q)).toBe(want);
  });

  it('turns raw results into latency, rolling p50/p95 and phase series, pending results as gaps', () => {
    const s = seriesFromResults(
      [
        { at: 3000, outcome: 'ok', latencyMs: 30, message: '', phases: { dns: 1, connect: 2 } },
        { at: 1000, outcome: 'ok', latencyMs: 10, message: '', phases: { dns: 3 } },
        { at: 2000, outcome: 'pending', latencyMs: 0, message: '' },
      ],
      2,
    );
    expect(s.x).toEqual([1, 2, 3]);
    expect(s.latency).toEqual([10, null, 30]);
    expect(s.p50).toEqual([10, 10, 20]);
    expect(s.p95).toEqual([10, 10, 29]);
    expect(s.phases).toEqual({ connect: [null, null, 2], dns: [3, null, 1] });
  });

  it('uses the average and p95 of rollup buckets', () => {
    const s = seriesFromBuckets([
      bucket(120_000, { ok: 1, latency: { avgMs: 5, minMs: 1, maxMs: 9, p95Ms: 8 } }),
      bucket(60_000),
    ]);
    expect(s).toEqual({
      x: [60, 120],
      latency: [null, 5],
      p50: [null, null],
      p95: [null, 8],
      phases: {},
    });
  });

  it('builds the 90-day bar from hour or day buckets: worst outcome per UTC day, gaps as none', () => {
    const now = 100 * DAY + 5 * 3_600_000;
    const cells = dayCells(
      [
        bucket(100 * DAY, { ok: 10 }),
        bucket(100 * DAY + 3_600_000, { ok: 5, fail: 1 }),
        bucket(99 * DAY, { ok: 3, degraded: 1 }),
        bucket(98 * DAY, { pending: 2 }),
        bucket(5 * DAY, { ok: 1 }),
      ],
      now,
    );
    expect(cells).toHaveLength(90);
    expect(cells.at(-1)).toEqual({ start: 100 * DAY, status: 'down', ratio: 15 / 16, checks: 16 });
    expect(cells.at(-2)).toMatchObject({ status: 'degraded', ratio: 1 });
    expect(cells.at(-3)).toMatchObject({ status: 'pending', ratio: 0 });
    expect(cells[0]).toEqual({ start: 11 * DAY, status: 'none', ratio: null, checks: 0 });
  });
});
