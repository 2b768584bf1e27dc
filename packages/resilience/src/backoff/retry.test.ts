import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { seededRandom } from '../clock/seeded-random.js';
import { NotRunningError, RetryExhaustedError, hasErrorCode } from '../errors/index.js';
import { constant, exponential } from './factories.js';
import { retry, type RetryEvent } from './retry.js';

describe('retry', () => {
  it('retries on the policy, sleeping exactly its delays on the clock', async () => {
    const clock = new FakeClock();
    const triedAt: number[] = [];
    const result = retry(
      ({ attempt }) => {
        triedAt.push(clock.monotonic());
        if (attempt < 4) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { policy: exponential({ initialMs: 100, maxMs: 10_000 }), clock },
    );
    await clock.runAll();
    await expect(result).resolves.toBe('ok');
    expect(triedAt).toEqual([0, 100, 300, 700]);
  });

  it('gives up with every attempt cause when the policy says stop', async () => {
    const clock = new FakeClock();
    const events: RetryEvent[] = [];
    const result = retry(({ attempt }) => Promise.reject(new Error(`boom ${attempt}`)), {
      policy: constant(10).withMaxRetries(2),
      clock,
      onRetry: (e) => events.push(e),
    });
    const settled = expect(result).rejects.toBeInstanceOf(RetryExhaustedError);
    await clock.runAll();
    await settled;
    const error = await result.catch((e: unknown) => e);
    expect(hasErrorCode(error, 'RETRY_EXHAUSTED')).toBe(true);
    const exhausted = error as RetryExhaustedError;
    expect(exhausted.attempts.map((e) => (e as Error).message)).toEqual([
      'boom 1',
      'boom 2',
      'boom 3',
    ]);
    expect((exhausted.cause as Error).message).toBe('boom 3');
    expect(exhausted.message).toMatch(/gave up after 3 attempts in 20 ms; last error: boom 3/);
    expect(events.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 10],
      [2, 10],
    ]);
  });

  it('rejects at once, unwrapped, with an error retryOn refuses', async () => {
    let tries = 0;
    const fatal = new Error('bad credentials');
    await expect(
      retry(
        () => {
          tries++;
          throw fatal;
        },
        { policy: constant(1), retryOn: (e) => e !== fatal, clock: new FakeClock() },
      ),
    ).rejects.toBe(fatal);
    expect(tries).toBe(1);
  });

  it('by default does not retry a Vigil error that says it is not retryable', async () => {
    let tries = 0;
    const error = new RetryExhaustedError([], 0);
    await expect(
      retry(
        () => {
          tries++;
          throw error;
        },
        { policy: constant(1), clock: new FakeClock() },
      ),
    ).rejects.toBe(error);
    expect(tries).toBe(1);
  });

  it('retries a retryable Vigil error by default', async () => {
    const clock = new FakeClock();
    let tries = 0;
    const result = retry(
      () => {
        if (++tries < 3) throw new NotRunningError('db', 'restarting');
        return tries;
      },
      { policy: constant(5), clock },
    );
    await clock.runAll();
    await expect(result).resolves.toBe(3);
  });

  it('an abort during the sleep rejects with the signal reason and stops trying', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let tries = 0;
    const result = retry(
      () => {
        tries++;
        throw new Error('down');
      },
      { policy: constant(1000), clock, signal: controller.signal },
    );
    await clock.advance(500);
    controller.abort(new Error('shutting down'));
    await expect(result).rejects.toThrow('shutting down');
    await clock.advance(5000);
    expect(tries).toBe(1);
  });

  it('passes the signal to each try and jitters with the given Random', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const delays: number[] = [];
    const result = retry(
      ({ signal, attempt }) => {
        signals.push(signal);
        if (attempt < 3) throw new Error('x');
        return attempt;
      },
      {
        policy: exponential({ initialMs: 100, jitter: 'full' }),
        clock,
        random: seededRandom(11),
        signal: controller.signal,
        onRetry: (e) => delays.push(e.delayMs),
      },
    );
    await clock.runAll();
    await expect(result).resolves.toBe(3);
    expect(signals.every((s) => s === controller.signal)).toBe(true);
    const r = seededRandom(11);
    expect(delays).toEqual([r.next() * 100, r.next() * 200]);
  });

  it('validates its arguments', async () => {
    await expect(retry('x' as never, { policy: constant(1) })).rejects.toThrow(
      /fn must be a function/,
    );
    await expect(retry(() => 1, {} as never)).rejects.toThrow(/options.policy is required/);
  });
});
