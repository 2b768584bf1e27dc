import type { Clock } from '../clock/index.js';

/**
 * Evaluations between two pauses of a round. An OpenFeature evaluation is CPU work done in promise
 * callbacks (~35 µs each with the in-memory provider on the benchmark machine), so a round over thousands
 * of distinct flags would otherwise hold the event loop for its whole length; pausing on a zero timer every
 * 256 lets I/O and timers run at least every ~10 ms.
 */
export const YIELD_EVERY = 256;

/** Options of {@link runRound}. */
export interface RoundOptions {
  /** Items evaluated at once. */
  readonly concurrency: number;
  readonly clock: Clock;
  /** Checked before each item; a round stops early once it returns false. */
  readonly isActive: () => boolean;
  /** Before each item: a promise to wait for first (more urgent work), or undefined. */
  readonly giveWay?: () => Promise<unknown> | undefined;
}

/**
 * Runs `evaluate` over `items`, at most `concurrency` at a time, pausing every {@link YIELD_EVERY}
 * evaluations. `evaluate` resolves false when its item did not answer in time; the round then stops asking
 * (the provider is unresponsive) and resolves with the items it never started, for the caller to give
 * their fallback. Otherwise it resolves with an empty list.
 */
export async function runRound<T>(
  items: readonly T[],
  evaluate: (item: T) => Promise<boolean>,
  options: RoundOptions,
): Promise<T[]> {
  let next = 0;
  let sinceYield = 0;
  const state = { stalled: false };
  let pause: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (pause !== undefined) await pause;
      const urgent = options.giveWay?.();
      if (urgent !== undefined) await urgent;
      if (state.stalled || next >= items.length || !options.isActive()) return;
      const answered = await evaluate(items[next++] as T);
      if (!answered) state.stalled = true;
      if (++sinceYield >= YIELD_EVERY && pause === undefined) {
        sinceYield = 0;
        pause = options.clock.sleep(0).then(() => {
          pause = undefined;
        });
      }
    }
  };
  const workers = Math.min(options.concurrency, items.length);
  const running: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) running.push(worker());
  await Promise.all(running);
  return state.stalled && options.isActive() ? items.slice(next) : [];
}
