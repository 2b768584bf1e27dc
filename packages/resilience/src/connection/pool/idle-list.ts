import type { Clock, Timer } from '../../clock/index.js';

interface IdleEntry<T> {
  readonly resource: T;
  /** Monotonic time it went idle. */
  readonly since: number;
}

/**
 * A pool's idle resources, oldest first. Borrowing takes the newest, so a surplus ages out; one clock
 * timer, armed for the oldest, evicts those idle for `idleTimeoutMs` while `canEvict()` allows.
 */
export class IdleList<T> {
  readonly #entries: IdleEntry<T>[] = [];
  #timer: Timer | undefined;

  constructor(
    readonly clock: Clock,
    readonly idleTimeoutMs: number,
    /** False once the pool is down to `min`. */
    readonly canEvict: () => boolean,
    readonly evict: (resource: T) => void,
  ) {}

  get length(): number {
    return this.#entries.length;
  }

  push(resource: T): void {
    this.#entries.push({ resource, since: this.clock.monotonic() });
    this.#arm();
  }

  /** The most recently used resource. */
  pop(): T | undefined {
    return this.#entries.pop()?.resource;
  }

  /** Empties the list (and stops evicting); returns what it held. */
  takeAll(): T[] {
    this.#timer?.cancel();
    this.#timer = undefined;
    return this.#entries.splice(0).map((e) => e.resource);
  }

  #arm(): void {
    const oldest = this.#entries[0];
    if (this.#timer !== undefined || oldest === undefined || this.idleTimeoutMs === Infinity)
      return;
    const due = oldest.since + this.idleTimeoutMs - this.clock.monotonic();
    this.#timer = this.clock.setTimer(due, () => {
      this.#timer = undefined;
      this.#sweep();
    });
  }

  #sweep(): void {
    const now = this.clock.monotonic();
    while (this.#entries.length > 0 && this.canEvict()) {
      const oldest = this.#entries[0] as IdleEntry<T>;
      if (oldest.since + this.idleTimeoutMs > now) break;
      this.#entries.shift();
      this.evict(oldest.resource);
    }
    if (this.canEvict()) this.#arm();
  }
}
