// Backoff policies are immutable values; retry() and a stateful Backoff walk them.
import { createBackoff, exponential, previewDelays, retry, seededRandom } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';

// Exponential from 100 ms, doubling, capped at 5 s, full jitter, at most 5 retries.
export const policy = exponential({ initialMs: 100, maxMs: 5000, jitter: 'full' }).withMaxRetries(
  5,
);

export async function main(): Promise<{ attempts: number; result: string; delays: unknown[] }> {
  const clock = new FakeClock();
  let attempts = 0;
  const pending = retry(
    ({ attempt }) => {
      attempts = attempt;
      if (attempt < 3) return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432'));
      return Promise.resolve('connected');
    },
    { policy, clock, random: seededRandom(1) },
  );
  await clock.runAll(); // sleeps through the two backoff delays at once
  const result = await pending;

  // A stateful backoff (Erlang's `backoff`): fail() gives the next delay, succeed() resets.
  const backoff = createBackoff(exponential({ initialMs: 100, maxMs: 1000 }));
  backoff.fail(); // 100
  backoff.fail(); // 200
  backoff.succeed();

  const delays = previewDelays(exponential({ initialMs: 100, maxMs: 1000 }).withMaxRetries(5), 10);
  return { attempts, result, delays }; // delays: [100, 200, 400, 800, 1000, 'stop']
}
