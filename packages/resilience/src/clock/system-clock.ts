import { checkDelay, neverTimer, sleepWith, type Clock, type Timer } from './clock.js';

/** Node's timers cannot wait longer than this; longer delays are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A Node timer behind the `Timer` interface. A class with the timer's state in fields and the firing
 * function shared (Node passes the instance to it), rather than closures per timer: the engine sets a
 * few timers per check run, and each one's allocations outlived the run's other garbage.
 */
class SystemTimer implements Timer {
  readonly #deadline: number;
  readonly #callback: () => void;
  #handle: NodeJS.Timeout;

  constructor(delay: number, callback: () => void) {
    this.#deadline = performance.now() + delay;
    this.#callback = callback;
    this.#handle = setTimeout(SystemTimer.#fire, Math.min(delay, MAX_TIMEOUT_MS), this);
  }

  /** Node may fire a timer up to a millisecond early, and a delay past its limit is chained. */
  static #fire(this: void, timer: SystemTimer): void {
    const left = timer.#deadline - performance.now();
    if (left > 1)
      timer.#handle = setTimeout(SystemTimer.#fire, Math.min(left, MAX_TIMEOUT_MS), timer);
    else timer.#callback();
  }

  cancel(): void {
    clearTimeout(this.#handle);
  }

  [Symbol.dispose](): void {
    this.cancel();
  }
}

function setSystemTimer(delayMs: number, callback: () => void): Timer {
  const delay = checkDelay(delayMs, 'systemClock.setTimer');
  if (delay === Infinity) return neverTimer;
  return new SystemTimer(delay, callback);
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
