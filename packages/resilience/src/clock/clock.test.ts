import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { systemClock } from './system-clock.js';
import { systemRandom } from './system-random.js';

describe('systemClock', () => {
  it('reads wall and monotonic time', () => {
    const wall = systemClock.now();
    expect(Math.abs(wall - Date.now())).toBeLessThan(1000);
    const a = systemClock.monotonic();
    const b = systemClock.monotonic();
    expect(b).toBeGreaterThanOrEqual(a);
  });

  it('fires a timer and can cancel one', async () => {
    let cancelledFired = false;
    const t = systemClock.setTimer(5, () => (cancelledFired = true));
    t.cancel();
    const start = systemClock.monotonic();
    await new Promise<void>((resolve) => systemClock.setTimer(10, resolve));
    expect(systemClock.monotonic() - start).toBeGreaterThanOrEqual(9);
    expect(cancelledFired).toBe(false);
  });

  it('sleep honours an abort signal', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
    expect(() => systemClock.sleep(Number.NaN)).toThrow(RangeError);
  });
});

describe('random sources', () => {
  it('seededRandom repeats its sequence for a seed and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
  });

  it('seededRandom is uniform enough for jitter tests (mean and deciles of 10,000 draws)', () => {
    const r = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      sum += x;
      buckets[Math.floor(x * 10)]!++;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
    for (const b of buckets) expect(b).toBeGreaterThan(850);
  });

  it('systemRandom yields numbers in [0, 1)', () => {
    const x = systemRandom.next();
    expect(x >= 0 && x < 1).toBe(true);
  });
});
