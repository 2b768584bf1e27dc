import { checkDelay, neverTimer, sleepWith, type Clock, type Timer } from './clock.js';
import { settle } from './settle.js';
import { TimerHeap, type HeapTimer } from './timer-heap.js';

/** Options of {@link FakeClock}. */
export interface FakeClockOptions {
  /** Wall time at monotonic 0, in ms since the epoch. Default 2026-01-01T00:00:00Z. */
  readonly startWall?: number;
}

/** Options of {@link FakeClock.runAll}. */
export interface RunAllOptions {
  /** Fail after firing this many timers (a timer that re-arms itself forever). Default 10,000. */
  readonly maxTimers?: number;
}

const DEFAULT_START_WALL = Date.UTC(2026, 0, 1);

/**
 * A virtual clock for tests. Time stands still until the test advances it; `advance` fires due timers in
 * time order (insertion order on ties) and lets promise chains settle after each one, so code driven by
 * timers progresses exactly as it would in real time, only instantly.
 */
export class FakeClock implements Clock {
  readonly #heap = new TimerHeap();
  #monotonic = 0;
  #wallOffset: number;
  #seq = 0;
  #pending = 0;

  constructor(options: FakeClockOptions = {}) {
    this.#wallOffset = options.startWall ?? DEFAULT_START_WALL;
  }

  now(): number {
    return this.#wallOffset + this.#monotonic;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const delay = checkDelay(delayMs, 'FakeClock.setTimer');
    if (delay === Infinity) return neverTimer;
    const timer: HeapTimer = {
      at: this.#monotonic + delay,
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#heap.push(timer);
    this.#pending++;
    const cancel = (): void => {
      if (timer.cancelled) return;
      timer.cancelled = true;
      this.#pending--;
    };
    return { cancel, [Symbol.dispose]: cancel };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, checkDelay(delayMs, 'FakeClock.sleep'), signal);
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#pending;
  }

  /** Monotonic time of the next live timer, or `undefined` when none is pending. */
  nextTimerAt(): number | undefined {
    return this.#peekLive()?.at;
  }

  /** Lets every promise chain that is ready to run settle, without moving time. */
  flush(): Promise<void> {
    return settle();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance: ms must be >= 0, got ${ms}`);
    return this.advanceTo(this.#monotonic + ms);
  }

  /** Moves monotonic time forward to `target`, firing due timers in order. */
  async advanceTo(target: number): Promise<void> {
    if (target < this.#monotonic) {
      throw new RangeError(`FakeClock.advanceTo: ${target} is before now (${this.#monotonic})`);
    }
    await settle();
    for (;;) {
      const next = this.#peekLive();
      if (next === undefined || next.at > target) break;
      await this.#fireNext();
    }
    this.#monotonic = target;
    await settle();
  }

  /** Fires the next timer whatever its due time, moving time to it. Resolves false when none is pending. */
  async runNext(): Promise<boolean> {
    await settle();
    if (this.#peekLive() === undefined) return false;
    await this.#fireNext();
    return true;
  }

  /**
   * Fires timers until none is pending, including those that firing schedules. Returns how many fired.
   * Throws when more than `maxTimers` fire, which means something re-arms forever.
   */
  async runAll(options: RunAllOptions = {}): Promise<number> {
    const max = options.maxTimers ?? 10_000;
    let fired = 0;
    while (await this.runNext()) {
      if (++fired > max) {
        throw new Error(
          `FakeClock.runAll: more than ${max} timers fired; a timer re-arms itself forever — use advance() instead`,
        );
      }
    }
    return fired;
  }

  /** Steps wall time by `deltaMs` (as an NTP correction would) without moving monotonic time or firing timers. */
  jumpWall(deltaMs: number): void {
    this.#wallOffset += deltaMs;
  }

  #peekLive(): HeapTimer | undefined {
    for (;;) {
      const top = this.#heap.peek();
      if (top === undefined || !top.cancelled) return top;
      this.#heap.pop();
    }
  }

  async #fireNext(): Promise<void> {
    const timer = this.#heap.pop() as HeapTimer;
    timer.cancelled = true;
    this.#pending--;
    if (timer.at > this.#monotonic) this.#monotonic = timer.at;
    timer.callback();
    await settle();
  }
}
