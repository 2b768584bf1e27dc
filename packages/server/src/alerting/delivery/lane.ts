import { Deque, type Clock } from '@vigil/resilience';
import type { AlertMessage } from '../alert.js';
import type { SendResult } from '../notifier.js';
import {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './circuit-breaker.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { sendMessage } from './send-message.js';
import type { BoundNotifier } from './worker.js';

/** Options of a {@link Lane}. */
export interface LaneOptions {
  readonly clock: Clock;
  /** Aborts waits and sends at shutdown. */
  readonly signal: AbortSignal;
  readonly breaker?: Omit<CircuitBreakerOptions, 'clock'>;
}

type Done = (result: SendResult, durationMs: number) => Promise<void>;

/**
 * One notifier's sending: at most `concurrency` messages at once, within its rate limit, through its
 * circuit breaker. Lanes are independent, so a notifier that hangs or fails holds up only itself.
 */
export class Lane {
  readonly bound: BoundNotifier;
  readonly #o: LaneOptions;
  readonly #queue = new Deque<{ message: AlertMessage; done: Done }>();
  readonly #breaker: CircuitBreaker;
  readonly #limiter: RateLimiter;
  readonly #running = new Set<Promise<void>>();

  constructor(bound: BoundNotifier, options: LaneOptions) {
    this.bound = bound;
    this.#o = options;
    this.#breaker = createCircuitBreaker({ clock: options.clock, ...options.breaker });
    this.#limiter = createRateLimiter(options.clock, bound.config.rateLimit);
  }

  /** Queues a message; `done` reports how it went (not called when the lane shuts down first). */
  push(message: AlertMessage, done: Done): void {
    this.#queue.push({ message, done });
    this.#pump();
  }

  /** Resolves when nothing runs. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #pump(): void {
    while (this.#running.size < this.bound.config.concurrency && this.#queue.size > 0) {
      const job = this.#queue.shift();
      if (job === undefined) break;
      const run = this.#run(job.message, job.done).finally(() => {
        this.#running.delete(run);
        this.#pump();
      });
      this.#running.add(run);
    }
  }

  async #run(message: AlertMessage, done: Done): Promise<void> {
    const { signal, clock } = this.#o;
    let release: () => void;
    try {
      await this.#breaker.acquire(signal);
      release = await this.#limiter.acquire(signal);
    } catch {
      return; // shutting down: the rows stay leased and are recovered at the next start
    }
    const { notifier, config } = this.bound;
    const outcome = await sendMessage(notifier, config, message, clock, signal);
    release();
    if (signal.aborted) return;
    const { result } = outcome;
    if (result.ok) this.#breaker.success();
    else if (result.retryAfterMs !== undefined) this.#breaker.pause(result.retryAfterMs);
    else if (result.retryable) this.#breaker.failure();
    else this.#breaker.success();
    void done(result, outcome.durationMs);
  }
}
