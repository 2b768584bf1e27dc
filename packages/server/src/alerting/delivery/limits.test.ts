import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createRateLimiter } from './rate-limiter.js';

const signal = new AbortController().signal;

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through after the cooldown, closes on success', async () => {
    const clock = new FakeClock();
    const breaker = createCircuitBreaker({ clock, threshold: 2, cooldownMs: 1000 });
    await breaker.acquire(signal);
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    const passed: string[] = [];
    const a = breaker.acquire(signal).then(() => passed.push(`a@${clock.monotonic()}`));
    const b = breaker.acquire(signal).then(() => passed.push(`b@${clock.monotonic()}`));
    await clock.advance(999);
    expect(passed).toEqual([]);
    await clock.advance(1);
    expect(passed).toEqual(['a@1000']);
    expect(breaker.state).toBe('half-open');
    breaker.failure(); // the trial failed: open again
    await clock.advance(1000);
    expect(passed).toEqual(['a@1000', 'b@2000']);
    breaker.success();
    expect(breaker.state).toBe('closed');
    await Promise.all([a, b]);
  });

  it('pause() opens it for at least Retry-After, and acquire aborts with its signal', async () => {
    const clock = new FakeClock();
    const breaker = createCircuitBreaker({ clock, cooldownMs: 10 });
    breaker.pause(5000);
    const ac = new AbortController();
    const waiting = breaker.acquire(ac.signal);
    ac.abort(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
    let at = -1;
    const next = breaker.acquire(signal).then(() => (at = clock.monotonic()));
    await clock.advance(5000);
    await next;
    expect(at).toBe(5000);
    expect(() => createCircuitBreaker({ clock, threshold: 0 })).toThrow(RangeError);
  });
});

describe('rate limiter', () => {
  it('lets at most max through in any window', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter(clock, { max: 3, perMs: 1000 });
    const times: number[] = [];
    const all = Array.from({ length: 7 }, () =>
      limiter.acquire(signal).then((release) => {
        times.push(clock.monotonic());
        release();
      }),
    );
    await clock.advance(5000);
    await Promise.all(all);
    expect(times).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    // A send counts until perMs after it ended.
    const slow = createRateLimiter(clock, { max: 1, perMs: 1000 });
    const t = clock.monotonic();
    const release = await slow.acquire(signal);
    let second = -1;
    const next = slow.acquire(signal).then(() => (second = clock.monotonic() - t));
    await clock.advance(500);
    release();
    await clock.advance(2000);
    await next;
    expect(second).toBe(1500);
    const free = createRateLimiter(clock, undefined);
    await free.acquire(signal);
  });
});
