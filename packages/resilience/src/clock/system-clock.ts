import { checkDelay, neverTimer, sleepWith, type Clock, type Timer } from './clock.js';

/** Node's timers cannot wait longer than this; longer delays are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function setSystemTimer(delayMs: number, callback: () => void): Timer {
  const delay = checkDelay(delayMs, 'systemClock.setTimer');
  if (delay === Infinity) return neverTimer;
  const deadline = performance.now() + delay;
  let handle: NodeJS.Timeout;
  const arm = (remaining: number): void => {
    handle = setTimeout(
      () => {
        const left = deadline - performance.now();
        if (left > 1) arm(left);
        else callback();
      },
      Math.min(remaining, MAX_TIMEOUT_MS),
    );
  };
  arm(delay);
  const cancel = (): void => clearTimeout(handle);
  return { cancel, [Symbol.dispose]: cancel };
}

/** The real clock: `Date.now`, `performance.now` and Node's timers. The only production clock. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: setSystemTimer,
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(systemClock, checkDelay(delayMs, 'systemClock.sleep'), signal);
  },
});
