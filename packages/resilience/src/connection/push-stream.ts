import { Deque } from '../collections/index.js';

/** What a push stream needs from its connection to apply backpressure. */
export interface PushFlow {
  /** Stop reading from the socket: the consumer is behind. */
  pause(): void;
  /** The consumer caught up: read again. */
  resume(): void;
  /** The consumer went away. */
  detach(stream: unknown): void;
}

/**
 * The consumer side of a connection's push frames: an async iterator with a bounded buffer. When the
 * consumer falls `highWaterMark` frames behind, the connection stops reading from the socket (Erlang's
 * `active: once`), so a peer that floods pushes fills its own send buffer, not this process's memory;
 * reading resumes once the consumer is down to half of it.
 */
export class PushStream<Res> implements AsyncIterableIterator<Res, undefined> {
  readonly #buffer = new Deque<Res>();
  #waiter: ((result: IteratorResult<Res, undefined>) => void) | undefined;
  #paused = false;
  #ended = false;

  constructor(
    readonly highWaterMark: number,
    readonly flow: PushFlow,
  ) {}

  /** Frames buffered and not yet taken. */
  get buffered(): number {
    return this.#buffer.size;
  }

  /** Called by the connection for each push frame. */
  deliver(frame: Res): void {
    if (this.#ended) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter({ value: frame, done: false });
      return;
    }
    this.#buffer.push(frame);
    if (!this.#paused && this.#buffer.size >= this.highWaterMark) {
      this.#paused = true;
      this.flow.pause();
    }
  }

  /** Ends the stream (the connection closed); frames already buffered are still handed out. */
  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<Res, undefined>> {
    if (this.#buffer.size > 0) {
      const frame = this.#buffer.shift() as Res;
      if (this.#paused && this.#buffer.size <= this.highWaterMark >> 1) {
        this.#paused = false;
        this.flow.resume();
      }
      return Promise.resolve({ value: frame, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter !== undefined) {
      return Promise.reject(
        new Error('PushStream: next() called again before the last one resolved'),
      );
    }
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  /** Stops consuming: buffered frames are dropped and reading resumes. */
  return(): Promise<IteratorResult<Res, undefined>> {
    this.#buffer.drain();
    this.end();
    if (this.#paused) {
      this.#paused = false;
      this.flow.resume();
    }
    this.flow.detach(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
