import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { seededRandom } from '../clock/seeded-random.js';
import { createBackoff } from './backoff.js';
import { constant, exponential } from './factories.js';

describe('createBackoff', () => {
  it('fail() walks the policy and succeed() resets it (Erlang backoff)', () => {
    const b = createBackoff(exponential({ initialMs: 100, maxMs: 1000 }).withMaxRetries(5));
    expect([b.fail(), b.fail(), b.fail()]).toEqual([100, 200, 400]);
    expect(b.attempt).toBe(3);
    b.succeed();
    expect(b.attempt).toBe(0);
    expect(b.fail()).toBe(100);
  });

  it('says stop once the policy gives up, and keeps saying it', () => {
    const b = createBackoff(constant(5).withMaxRetries(2));
    expect([b.fail(), b.fail(), b.fail(), b.fail()]).toEqual([5, 5, 'stop', 'stop']);
  });

  it('feeds decorrelated jitter its previous delay and restores from a persisted state', () => {
    const p = exponential({ initialMs: 100, maxMs: 10_000, jitter: 'decorrelated' });
    const a = createBackoff(p, { random: seededRandom(1) });
    a.fail();
    a.fail();
    const state = a.state;
    expect(state.attempt).toBe(2);
    const next = a.fail();
    const b = createBackoff(p, { random: seededRandom(1), state });
    // same previous delay, so the same bounds: [100, 3 × previous]
    const again = b.fail() as number;
    expect(again).toBeGreaterThanOrEqual(100);
    expect(again).toBeLessThanOrEqual(state.previousDelayMs! * 3);
    expect(typeof next).toBe('number');
    expect(b.attempt).toBe(3);
  });

  it('measures elapsed time from the first failure on the clock', async () => {
    const clock = new FakeClock();
    const b = createBackoff(constant(100).withMaxElapsed(300), { clock });
    expect(b.fail()).toBe(100);
    await clock.advance(150);
    expect(b.fail()).toBe(100);
    await clock.advance(100);
    expect(b.fail()).toBe('stop'); // 250 elapsed + 100 > 300
    b.succeed();
    expect(b.fail()).toBe(100);
  });
});
