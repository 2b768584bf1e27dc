import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf } from '../model/histogram.js';
import { addToRollups, histogramOf, latencyCount, mergeAgg, type RollupAgg } from './batch.js';

/** The minute rollup of `results` ([outcome, latency µs]) for one monitor, as the writer builds it. */
function minute(results: readonly (readonly [number, number])[]): RollupAgg {
  const rollups = new Map<string, RollupAgg>();
  for (const [outcome, us] of results) addToRollups(rollups, 'api', 1_000, outcome, us);
  const agg = [...rollups.values()].find((a) => a.tier === 'minute');
  if (agg === undefined) throw new Error('no minute rollup');
  return agg;
}

/** Counts by bucket of the latencies of ok (0) and degraded (2) results, computed directly. */
function expected(results: readonly (readonly [number, number])[]): number[] {
  const hist = new Array<number>(BUCKETS).fill(0);
  for (const [outcome, us] of results)
    if (outcome === 0 || outcome === 2) hist[bucketOf(us)] = (hist[bucketOf(us)] ?? 0) + 1;
  return hist;
}

const cases: Record<string, readonly (readonly [number, number])[]> = {
  'failures only': [
    [1, 900],
    [3, 0],
  ],
  'one latency': [[0, 1_500]],
  'one bucket': [
    [0, 1_500],
    [1, 9],
    [2, 1_510],
  ],
  'two buckets': [
    [0, 1_500],
    [0, 250_000],
  ],
  spread: [
    [0, 120],
    [2, 3_000_000],
    [1, 0],
    [0, 120],
    [0, 45_000],
  ],
};

describe('rollup histograms', () => {
  it('keep no array while every latency is in one bucket, and count every latency', () => {
    expect(minute(cases['one bucket'] ?? []).hist).toBeNull();
    expect(minute(cases['two buckets'] ?? []).hist).not.toBeNull();
    for (const results of Object.values(cases)) {
      const agg = minute(results);
      expect(histogramOf(agg)).toEqual(expected(results));
      expect(latencyCount(agg)).toBe(expected(results).reduce((a, b) => a + b, 0));
    }
  });

  it('merge into the histogram of both sides, whatever shape each side has', () => {
    for (const [a, left] of Object.entries(cases))
      for (const [b, right] of Object.entries(cases)) {
        const into = minute(left);
        mergeAgg(into, minute(right));
        expect(histogramOf(into), `${a} + ${b}`).toEqual(expected([...left, ...right]));
        expect(into.counts, `${a} + ${b}`).toEqual(minute([...left, ...right]).counts);
      }
  });
});
