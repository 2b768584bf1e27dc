import { describe, expect, it } from 'vitest';
import { seededRandom } from '../clock/seeded-random.js';
import { previewDelays } from './backoff.js';
import { constant, exponential, linear } from './factories.js';
import { policy, type BackoffContext } from './policy.js';

const ctx = (over: Partial<BackoffContext> = {}): BackoffContext => ({
  previousDelayMs: undefined,
  elapsedMs: 0,
  random: seededRandom(1),
  ...over,
});

describe('policies without jitter', () => {
  it.each([
    ['constant', constant(250), [250, 250, 250, 250]],
    ['linear', linear({ initialMs: 100, stepMs: 50, maxMs: 220 }), [100, 150, 200, 220]],
    ['linear, step defaults to initial', linear({ initialMs: 100 }), [100, 200, 300, 400]],
    [
      'exponential ×2',
      exponential({ initialMs: 100, maxMs: 1000 }),
      [100, 200, 400, 800, 1000, 1000],
    ],
    [
      'exponential ×3',
      exponential({ initialMs: 10, factor: 3, maxMs: 500 }),
      [10, 30, 90, 270, 500],
    ],
  ])('%s', (_name, p, expected) => {
    expect(previewDelays(p, expected.length)).toEqual(expected);
  });
});

describe('exact jittered delays with a seeded Random', () => {
  const base = 100;
  const cap = 1000;
  const uncapped = [100, 200, 400, 800, 1000, 1000];

  it('full: uniform in [0, d]', () => {
    const expected = seededRandom(5);
    const got = previewDelays(
      exponential({ initialMs: base, maxMs: cap, jitter: 'full' }),
      6,
      seededRandom(5),
    );
    expect(got).toEqual(uncapped.map((d) => expected.next() * d));
  });

  it('equal: d/2 + uniform in [0, d/2]', () => {
    const expected = seededRandom(5);
    const got = previewDelays(
      exponential({ initialMs: base, maxMs: cap, jitter: 'equal' }),
      6,
      seededRandom(5),
    );
    expect(got).toEqual(uncapped.map((d) => d / 2 + (expected.next() * d) / 2));
  });

  it('decorrelated: min(cap, uniform in [base, previous × 3])', () => {
    const expected = seededRandom(9);
    let prev = base;
    const want = Array.from({ length: 8 }, () => {
      prev = Math.min(cap, base + expected.next() * (prev * 3 - base));
      return prev;
    });
    const got = previewDelays(
      exponential({ initialMs: base, maxMs: cap, jitter: 'decorrelated' }),
      8,
      seededRandom(9),
    );
    expect(got).toEqual(want);
  });

  it('decorrelated-spread: uniform in [base, min(cap, previous × 3)]', () => {
    const expected = seededRandom(9);
    let prev = base;
    const want = Array.from({ length: 8 }, () => {
      prev = base + expected.next() * (Math.min(cap, prev * 3) - base);
      return prev;
    });
    const p = exponential({ initialMs: base, maxMs: cap, jitter: 'decorrelated-spread' });
    expect(previewDelays(p, 8, seededRandom(9))).toEqual(want);
  });

  it('withJitter spreads any policy', () => {
    const expected = seededRandom(3);
    const got = previewDelays(constant(400).withJitter('equal'), 3, seededRandom(3));
    expect(got).toEqual([0, 0, 0].map(() => 200 + expected.next() * 200));
    expect(constant(400).withJitter('none')).toBeInstanceOf(Object);
    expect(previewDelays(constant(400).withJitter('none'), 2)).toEqual([400, 400]);
  });
});

/** Asserts `draws` look uniform on [lo, hi]: bounds, mean, and every decile within 15 % of its share. */
function expectUniform(draws: number[], lo: number, hi: number): void {
  const width = hi - lo;
  const buckets = new Array<number>(10).fill(0);
  let sum = 0;
  expect(Math.min(...draws)).toBeGreaterThanOrEqual(lo);
  expect(Math.max(...draws)).toBeLessThanOrEqual(hi);
  for (const x of draws) {
    sum += x;
    buckets[Math.min(9, Math.floor(((x - lo) / width) * 10))]!++;
  }
  expect(Math.abs(sum / draws.length - (lo + hi) / 2)).toBeLessThan(width * 0.02);
  for (const b of buckets)
    expect(Math.abs(b - draws.length / 10)).toBeLessThan(draws.length * 0.015);
}

describe('10,000 draws fit each jitter formula', () => {
  const n = 10_000;
  const draw = (
    p: ReturnType<typeof exponential>,
    attempt: number,
    previousDelayMs?: number,
  ): number[] => {
    const random = seededRandom(2024);
    return Array.from(
      { length: n },
      () => p.next(attempt, ctx({ random, previousDelayMs })) as number,
    );
  };

  it('full jitter is uniform on [0, d]', () => {
    expectUniform(draw(exponential({ initialMs: 100, maxMs: 10_000, jitter: 'full' }), 4), 0, 800);
  });

  it('equal jitter is uniform on [d/2, d]', () => {
    expectUniform(
      draw(exponential({ initialMs: 100, maxMs: 10_000, jitter: 'equal' }), 4),
      400,
      800,
    );
  });

  it('decorrelated jitter is uniform on [base, 3 × previous] below the cap', () => {
    expectUniform(
      draw(exponential({ initialMs: 100, maxMs: 10_000, jitter: 'decorrelated' }), 3, 500),
      100,
      1500,
    );
  });

  it('decorrelated jitter bunches at the cap; the spread variant does not', () => {
    // previous 3,000 → upper 9,000 over a cap of 2,000: (9000 − 2000)/(9000 − 100) ≈ 79 % land on the cap.
    const bunched = draw(
      exponential({ initialMs: 100, maxMs: 2000, jitter: 'decorrelated' }),
      5,
      3000,
    );
    const atCap = bunched.filter((d) => d === 2000).length / n;
    expect(atCap).toBeCloseTo(7000 / 8900, 1);
    const spread = draw(
      exponential({ initialMs: 100, maxMs: 2000, jitter: 'decorrelated-spread' }),
      5,
      3000,
    );
    expect(spread.filter((d) => d === 2000).length).toBe(0);
    expectUniform(spread, 100, 2000);
  });
});

describe('limits and composition', () => {
  it('withMaxRetries counts retries; withMaxTries counts tries including the first', () => {
    expect(previewDelays(constant(10).withMaxRetries(3), 10)).toEqual([10, 10, 10, 'stop']);
    expect(previewDelays(constant(10).withMaxTries(3), 10)).toEqual([10, 10, 'stop']);
    expect(previewDelays(constant(10).withMaxRetries(0), 10)).toEqual(['stop']);
  });

  it('withMaxElapsed stops when the next delay would end past the budget', () => {
    const p = constant(100).withMaxElapsed(250);
    expect(p.next(1, ctx({ elapsedMs: 0 }))).toBe(100);
    expect(p.next(2, ctx({ elapsedMs: 150 }))).toBe(100);
    expect(p.next(3, ctx({ elapsedMs: 151 }))).toBe('stop');
    expect(previewDelays(p, 10)).toEqual([100, 100, 'stop']);
  });

  it('withCap caps; followedBy switches policy after N retries and restarts its count', () => {
    expect(previewDelays(linear({ initialMs: 100 }).withCap(250), 4)).toEqual([100, 200, 250, 250]);
    const p = constant(50)
      .followedBy(2, exponential({ initialMs: 1000, maxMs: 8000 }))
      .withMaxRetries(6);
    expect(previewDelays(p, 10)).toEqual([50, 50, 1000, 2000, 4000, 8000, 'stop']);
    expect(p.description).toMatch(/constant\(50ms\) for 2 retries, then exponential/);
  });

  it('modifiers never change the policy they were called on', () => {
    const base = constant(10);
    base.withMaxRetries(1);
    expect(previewDelays(base, 3)).toEqual([10, 10, 10]);
  });

  it('policy() wraps a custom function', () => {
    const fib = policy((attempt) => [0, 1, 1, 2, 3, 5][attempt] ?? 'stop', 'fib');
    expect(previewDelays(fib, 10)).toEqual([1, 1, 2, 3, 5, 'stop']);
  });
});

describe('bad options throw at construction, naming the option', () => {
  it.each([
    [() => constant(Number.NaN), /constant: delayMs must be a number of ms >= 0, got NaN/],
    [() => constant(-1), /constant: delayMs/],
    [() => constant(Infinity), /constant: delayMs/],
    [() => linear({ initialMs: 1, stepMs: -2 }), /linear: stepMs/],
    [() => exponential({ initialMs: Number.NaN }), /exponential: initialMs/],
    [
      () => exponential({ initialMs: 1, factor: 0.5 }),
      /exponential: factor must be a finite number >= 1/,
    ],
    [() => exponential({ initialMs: 1, maxMs: -5 }), /exponential: maxMs/],
    [
      () => exponential({ initialMs: 10, maxMs: 5 }),
      /initialMs \(10\) must not exceed maxMs \(5\)/,
    ],
    [() => exponential({ initialMs: 1, jitter: 'wild' as never }), /unknown jitter "wild"/],
    [() => constant(1).withJitter('decorrelated' as never), /withJitter: unknown jitter/],
    [() => constant(1).withMaxRetries(-1), /withMaxRetries: retries must be an integer >= 0/],
    [() => constant(1).withMaxTries(0), /withMaxTries: tries must be >= 1/],
    [() => constant(1).withMaxElapsed(Number.NaN), /withMaxElapsed: maxElapsedMs/],
    [() => constant(1).next(0, ctx()), /attempt must be an integer >= 1/],
    [() => policy('x' as never), /policy: next must be a function/],
  ])('%#', (build, message) => {
    expect(build).toThrow(message);
  });
});
