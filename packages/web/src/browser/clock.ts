// The dashboard's one door to real time and randomness (the lint rule keeps them out of everything else).

/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/** The browser clock: wall time, timers and randomness, injected where they are used. */
export interface BrowserClock {
  now(): number;
  /** Monotonic ms, for measuring durations. */
  monotonic(): number;
  setTimer(ms: number, fn: () => void): Timer;
  every(ms: number, fn: () => void): Timer;
  random(): number;
}

export const browserClock: BrowserClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    return { cancel: () => clearInterval(handle) };
  },
  random: () => Math.random(),
};
