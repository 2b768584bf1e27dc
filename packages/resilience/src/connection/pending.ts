import type { Clock, Timer } from '../clock/index.js';
import { Deque } from '../collections/index.js';

/**
 * One request waiting for its reply. A plain class with no closures of its own, so 100,000 queued
 * requests stay small. `done` is set once the caller has been answered (reply, timeout, abort, failure);
 * a done request that is still in flight keeps its place so the late reply is read and dropped.
 */
export class Pending<Req, Res> {
  resolve!: (value: Res) => void;
  reject!: (error: unknown) => void;
  done = false;
  /** Written to a socket. */
  sent = false;
  /** Sent by the handshake hook, outside the connection's queue and counters. */
  handshake = false;
  /** Monotonic deadline (ms) when on the shared timeout queue; `Infinity` otherwise. */
  deadline = Infinity;
  /** A timer of its own, for a timeout other than the connection's default. */
  timer: Timer | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;

  constructor(readonly request: Req) {}

  /** Answers the caller once; later answers are ignored. */
  settle(error: unknown, value?: Res): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) this.timer.cancel();
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
    if (error === undefined) this.resolve(value as Res);
    else this.reject(error);
  }
}

/**
 * Timeouts for requests that use the connection's default timeout. They arrive in order with the same
 * timeout, so their deadlines never decrease: one clock timer, armed for the oldest deadline, serves them
 * all — no timer per request.
 */
export class TimeoutQueue<Req, Res> {
  readonly #entries = new Deque<Pending<Req, Res>>();
  #timer: Timer | undefined;
  #armedAt = Infinity;

  constructor(
    readonly clock: Clock,
    /** Called for each request whose deadline has passed and that is not done. */
    readonly onExpire: (pending: Pending<Req, Res>) => void,
  ) {}

  add(pending: Pending<Req, Res>, deadline: number): void {
    pending.deadline = deadline;
    this.#entries.push(pending);
    if (this.#timer === undefined) this.#arm(deadline);
  }

  /** Drops answered requests from the front (replies come in order, so they gather there). */
  prune(): void {
    const entries = this.#entries;
    while (entries.size > 0 && (entries.peek() as Pending<Req, Res>).done) entries.shift();
  }

  clear(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedAt = Infinity;
    this.#entries.drain();
  }

  #arm(deadline: number): void {
    this.#armedAt = deadline;
    this.#timer = this.clock.setTimer(deadline - this.clock.monotonic(), this.#fire);
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = Math.max(this.clock.monotonic(), this.#armedAt);
    const entries = this.#entries;
    for (;;) {
      const head = entries.peek();
      if (head === undefined) return;
      if (head.done) {
        entries.shift();
        continue;
      }
      if (head.deadline > now) break;
      entries.shift();
      this.onExpire(head);
    }
    const head = entries.peek();
    if (head !== undefined) this.#arm(head.deadline);
  };
}
