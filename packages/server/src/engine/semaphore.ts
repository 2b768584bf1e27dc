import { Deque } from '@vigil/resilience';

/**
 * Limits how many checks run at once. `acquire` resolves in FIFO order; a waiter whose signal aborts
 * leaves the queue. Latency is timed after the slot is taken, so queueing never inflates a check's latency
 * (it shows as schedule lag instead).
 */
export class Semaphore {
  readonly #waiters = new Deque<{ resolve: (ok: boolean) => void; cancelled: boolean }>();
  #free: number;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`maxConcurrentChecks must be an integer >= 1, got ${String(limit)}`);
    }
    this.#free = limit;
  }

  /** Checks in flight. */
  get inUse(): number {
    return this.limit - this.#free;
  }

  /** Checks waiting for a slot. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Takes a slot; resolves false when `cancel` was called first (the slot is then not taken). */
  acquire(): { promise: Promise<boolean>; cancel(): void } {
    if (this.#free > 0 && this.#waiters.size === 0) {
      this.#free--;
      return { promise: Promise.resolve(true), cancel: () => {} };
    }
    let waiter!: { resolve: (ok: boolean) => void; cancelled: boolean };
    const promise = new Promise<boolean>((resolve) => {
      waiter = { resolve, cancelled: false };
    });
    this.#waiters.push(waiter);
    return {
      promise,
      cancel: () => {
        if (waiter.cancelled) return;
        waiter.cancelled = true;
        waiter.resolve(false);
      },
    };
  }

  release(): void {
    for (let next = this.#waiters.shift(); next !== undefined; next = this.#waiters.shift()) {
      if (next.cancelled) continue;
      next.cancelled = true;
      next.resolve(true);
      return;
    }
    this.#free = Math.min(this.limit, this.#free + 1);
  }
}
