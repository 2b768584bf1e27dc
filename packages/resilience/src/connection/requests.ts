import { Deque } from '../collections/index.js';
import { RequestTimeoutError } from '../errors/index.js';
import type { ResolvedConnectionOptions } from './options.js';
import { Pending, TimeoutQueue } from './pending.js';
import { checkMs } from './validate.js';
import type { WriteBatch } from './write-batch.js';

/** Per-request options of `Connection.request`. */
export interface RequestOptions {
  /** Overrides the connection's `requestTimeoutMs` for this request (`Infinity`: none). */
  readonly timeoutMs?: number;
  /** Aborting rejects the request with the signal's reason; if it was sent, its reply is dropped. */
  readonly signal?: AbortSignal;
}

/** What the request book needs from its connection. */
export interface RequestHooks {
  /** The error behind the connection being down, for timeouts of unsent requests. */
  lastError(): Error | undefined;
  /** A sent request timed out after `timeoutMs` (the peer may be unresponsive). */
  sentTimedOut(timeoutMs: number): void;
  /** The last outstanding request was answered. */
  idle(): void;
}

/**
 * The requests of a connection: the queue of unsent ones, the FIFO of sent ones awaiting replies, their
 * timeouts, and the counters. Every answer to a caller goes through {@link RequestBook.settle}.
 */
export class RequestBook<Req, Res> {
  readonly queue = new Deque<Pending<Req, Res>>(1024);
  readonly inflight = new Deque<Pending<Req, Res>>(1024);
  /** Live (not done) requests in the queue, and done ones still occupying it. */
  queued = 0;
  #queuedDead = 0;
  /** Requests not yet answered, queued or in flight (handshake requests excluded). */
  outstanding = 0;
  readonly #timeouts: TimeoutQueue<Req, Res>;

  constructor(
    readonly options: ResolvedConnectionOptions<Req, Res>,
    readonly hooks: RequestHooks,
  ) {
    this.#timeouts = new TimeoutQueue(options.clock, (p) =>
      this.expire(p, options.requestTimeoutMs),
    );
  }

  /** Creates a request, applies its options and queues it; the promise answers its caller. */
  add(request: Req, options: RequestOptions | undefined): Promise<Res> {
    const p = new Pending<Req, Res>(request);
    const promise = new Promise<Res>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    const defaultMs = this.options.requestTimeoutMs;
    if (options === undefined) {
      if (defaultMs !== Infinity) this.#timeouts.add(p, this.options.clock.monotonic() + defaultMs);
    } else if (!this.#apply(p, options)) {
      return promise;
    }
    this.queue.push(p);
    this.queued++;
    this.outstanding++;
    return promise;
  }

  #apply(p: Pending<Req, Res>, options: RequestOptions): boolean {
    const { signal } = options;
    if (signal?.aborted) {
      p.settle(signal.reason);
      return false;
    }
    const { clock, requestTimeoutMs } = this.options;
    const timeoutMs =
      options.timeoutMs === undefined
        ? requestTimeoutMs
        : checkMs('Connection.request', 'timeoutMs', options.timeoutMs, true);
    if (timeoutMs === requestTimeoutMs) {
      if (timeoutMs !== Infinity) this.#timeouts.add(p, clock.monotonic() + timeoutMs);
    } else if (timeoutMs !== Infinity) {
      p.timer = clock.setTimer(timeoutMs, () => this.expire(p, timeoutMs));
    }
    if (signal !== undefined) {
      p.signal = signal;
      p.onAbort = () => this.settle(p, signal.reason);
      signal.addEventListener('abort', p.onAbort, { once: true });
    }
    return true;
  }

  expire(p: Pending<Req, Res>, timeoutMs: number): void {
    if (p.done) return;
    const error = new RequestTimeoutError(this.options.where, timeoutMs, p.sent, {
      cause: p.sent ? undefined : this.hooks.lastError(),
    });
    this.settle(p, error);
    if (p.sent) this.hooks.sentTimedOut(timeoutMs);
  }

  /** Answers a request once: resolves with `value` when `error` is undefined, else rejects. */
  settle(p: Pending<Req, Res>, error: unknown, value?: Res): void {
    if (p.done) return;
    p.settle(error, value);
    if (p.handshake) return;
    if (!p.sent) {
      // Still in the queue: it stays there, dead, until a flush skips it or a compaction drops it.
      this.queued--;
      this.#queuedDead++;
      if (this.#queuedDead > 1024 && this.#queuedDead > this.queued) this.#compact();
    }
    if (--this.outstanding === 0) this.hooks.idle();
  }

  #compact(): void {
    for (const p of this.queue.drain()) if (!p.done) this.queue.push(p);
    this.#queuedDead = 0;
  }

  /**
   * Encodes queued requests into `batch` and moves them in flight, until the queue is empty (true) or
   * the batch holds `maxBytes` (false: write it, then call again). A request whose encoding throws is
   * rejected with that error and nothing of it is sent.
   */
  encodeInto(batch: WriteBatch, maxBytes: number): boolean {
    const { codec } = this.options;
    const queue = this.queue;
    while (queue.size > 0) {
      const p = queue.shift() as Pending<Req, Res>;
      if (p.done) {
        this.#queuedDead--;
        continue;
      }
      this.queued--;
      batch.setMark();
      try {
        codec.encode(p.request, batch);
      } catch (error) {
        batch.rollback();
        p.sent = true; // out of the queue; counted as sent so settle() leaves the queue counters alone
        this.settle(p, error);
        continue;
      }
      p.sent = true;
      this.inflight.push(p);
      if (batch.size >= maxBytes) return queue.size === 0;
    }
    return true;
  }

  /** A handshake request: sent at once, outside the queue and counters. */
  addHandshake(request: Req): { pending: Pending<Req, Res>; promise: Promise<Res> } {
    const p = new Pending<Req, Res>(request);
    p.handshake = true;
    p.sent = true;
    const promise = new Promise<Res>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    return { pending: p, promise };
  }

  /** Answers the oldest request in flight with a reply; false when none was waiting (unsolicited). */
  reply(frame: Res, error: Error | undefined): boolean {
    const p = this.inflight.shift();
    if (p === undefined) return false;
    if (p.done) return true; // timed out or aborted: the late reply is read and dropped
    this.settle(p, error, frame);
    if (p.deadline !== Infinity) this.#timeouts.prune();
    return true;
  }

  /** The request the next reply will answer. */
  get nextReply(): Pending<Req, Res> | undefined {
    return this.inflight.peek();
  }

  /** Fails every request in flight with `error`; returns how many callers (not handshake) it failed. */
  failInflight(error: Error): number {
    let failed = 0;
    for (const p of this.inflight.drain()) {
      if (p.done) continue;
      if (!p.handshake) failed++;
      this.settle(p, error);
    }
    return failed;
  }

  /** Fails every request, sent or not, with `error`. */
  failAll(error: Error): void {
    this.#timeouts.clear();
    this.failInflight(error);
    for (const p of this.queue.drain()) this.settle(p, error);
    this.queued = 0;
    this.#queuedDead = 0;
  }
}
