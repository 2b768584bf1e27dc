import { Deque } from '../collections/index.js';

/**
 * OTP's restart intensity as a sliding window on monotonic time: at most `intensity` restarts within any
 * `periodMs`. A restart older than `periodMs` (exactly `periodMs` included) no longer counts.
 */
export class RestartWindow {
  readonly #times = new Deque<number>();

  constructor(
    readonly intensity: number,
    readonly periodMs: number,
  ) {}

  /** Records a restart at monotonic time `now`; false when it is one too many (give up). */
  record(now: number): boolean {
    this.#times.push(now);
    for (let oldest = this.#times.peek(); oldest !== undefined && now - oldest >= this.periodMs;) {
      this.#times.shift();
      oldest = this.#times.peek();
    }
    return this.#times.size <= this.intensity;
  }

  /** Restarts currently inside the window. */
  get count(): number {
    return this.#times.size;
  }
}

/** Validates intensity options and returns them with defaults (3 in 5,000 ms) applied. */
export function intensityOptions(
  where: string,
  intensity: number | undefined,
  periodMs: number | undefined,
): { intensity: number; periodMs: number } {
  const i = intensity ?? 3;
  const p = periodMs ?? 5000;
  if (!Number.isInteger(i) || i < 0) {
    throw new RangeError(`${where}: intensity must be an integer >= 0, got ${String(intensity)}`);
  }
  if (typeof p !== 'number' || !(p > 0)) {
    throw new RangeError(`${where}: periodMs must be a number of ms > 0, got ${String(periodMs)}`);
  }
  return { intensity: i, periodMs: p };
}
