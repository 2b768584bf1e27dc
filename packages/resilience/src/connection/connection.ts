import type { Timer } from '../clock/index.js';
import {
  ConnectionClosedError,
  ConnectionLostError,
  ProtocolError,
  QueueFullError,
  hasErrorCode,
  type ConnectFailedError,
} from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { SHUTDOWN, type Task, type TaskContext } from '../supervision/index.js';
import type { CloseOptions, ConnectionEvents, ConnectionState, ConnectionStats } from './events.js';
import { Dialer, type DialerHooks } from './dialer.js';
import type { Link } from './link.js';
import {
  resolveConnectionOptions,
  type ConnectionOptions,
  type ResolvedConnectionOptions,
} from './options.js';
import { PushStream, type PushFlow } from './push-stream.js';
import { RequestBook, type RequestOptions } from './requests.js';
import { WriteBatch } from './write-batch.js';

/** Largest batch written in one `socket.write`, about 256 KiB. */
const MAX_BATCH = 256 * 1024;

/**
 * A resilient, pipelined client connection to one peer over TCP or TLS, for any request/reply protocol
 * given as a codec. It connects in the background and reconnects on a backoff; requests wait in a
 * bounded queue while it is down; replies are matched to requests in FIFO order. It is a supervision
 * {@link Task}: put it in a supervisor, or use it standalone. See docs/connection.md.
 */
export class Connection<Req, Res> implements Task, AsyncDisposable {
  /** `host:port` of the peer. */
  readonly where: string;
  readonly waitsForReady = true;
  readonly defaultShutdownMs: number;
  readonly #o: ResolvedConnectionOptions<Req, Res>;
  readonly #events = new Emitter<ConnectionEvents>();
  readonly #book: RequestBook<Req, Res>;
  readonly #dialer: Dialer<Req, Res>;
  readonly #batch = new WriteBatch();
  #state: ConnectionState = 'idle';
  /** The socket's buffer is full: wait for `drain`. */
  #blocked = false;
  #flushScheduled = false;
  #failure: ConnectFailedError | undefined;
  #closing: { promise: Promise<void>; resolve: () => void; timer: Timer | undefined } | undefined;
  #run: { resolve: (value: unknown) => void; reject: (error: unknown) => void } | undefined;
  #pushes: PushStream<Res> | undefined;
  #readPaused = false;
  #droppedPushes = 0;
  /** Connect on the next tick, so listeners added right after creation see every event. */
  #startPending = false;

  constructor(options: ConnectionOptions<Req, Res>) {
    this.#o = resolveConnectionOptions(options);
    this.where = this.#o.where;
    this.defaultShutdownMs = this.#o.closeTimeoutMs + 1000;
    this.#book = new RequestBook(this.#o, {
      lastError: () => this.#dialer.lastError,
      sentTimedOut: (ms) => this.#dialer.requestTimedOut(ms),
      idle: () => {
        if (this.#closing !== undefined) this.#finishClose(false);
      },
    });
    const headOverdue = (): boolean => this.#book.nextReply?.done === true;
    this.#dialer = new Dialer(this.#o, this.#events, this.#hooks(), headOverdue);
    if (this.#o.autoConnect) {
      this.#state = 'connecting';
      this.#startPending = true;
      process.nextTick(() => {
        if (this.#startPending) this.#start();
      });
    }
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get stats(): ConnectionStats {
    const { queued, inflight } = this.#book;
    const droppedPushes = this.#droppedPushes;
    return { state: this.#state, queued, inflight: inflight.size, droppedPushes };
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<K extends keyof ConnectionEvents>(
    name: K,
    listener: Listener<ConnectionEvents[K]>,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /** Starts connecting when idle (`autoConnect: false`), closed, or failed; otherwise does nothing. */
  connect(): void {
    const state = this.#state;
    if (this.#startPending || state === 'idle' || state === 'closed' || state === 'failed') {
      this.#start();
    }
  }

  /**
   * Sends `request` and resolves with its reply. It is written at once when connected (requests of the
   * same tick share one write) or queued until the connection is up. Rejects with `QUEUE_FULL`,
   * `REQUEST_TIMEOUT`, `CONNECTION_LOST`, `PROTOCOL_ERROR`, `CONNECTION_CLOSED`, `CONNECT_FAILED`, the
   * codec's reply error, or the signal's reason.
   */
  request(request: Req, options?: RequestOptions): Promise<Res> {
    const canSend = this.#dialer.ready && !this.#blocked;
    if (!canSend || this.#state === 'closing') {
      const refusal = this.#refusal();
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    const promise = this.#book.add(request, options);
    if (canSend && !this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
    return promise;
  }

  /**
   * The peer's push frames (those `codec.isPush` accepts, such as RESP3 pushes) as an async iterator
   * with backpressure (see `pushHighWaterMark`). One consumer at a time; pushes that arrive with no
   * consumer are dropped. Ends when the connection closes.
   */
  pushes(): AsyncIterableIterator<Res, undefined> {
    if (this.#pushes !== undefined) {
      throw new Error(
        `${this.where}: pushes() already has a consumer; end it (leave its loop) first`,
      );
    }
    const stream = new PushStream<Res>(this.#o.pushHighWaterMark, this.#pushFlow);
    this.#pushes = stream;
    if (this.#state === 'closed' || this.#state === 'failed') stream.end();
    return stream;
  }

  /**
   * Closes the connection. Gracefully by default: new requests are refused, outstanding ones are answered
   * (reconnecting if need be) for up to `closeTimeoutMs`, then the rest fail with `CONNECTION_CLOSED`.
   * With `force`, everything outstanding fails at once. Resolves when closed; calling it again is safe.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const state = this.#state;
    if (state === 'idle' || state === 'closed' || state === 'failed') {
      if (state === 'idle') this.#state = 'closed';
      return Promise.resolve();
    }
    if (this.#closing === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#closing = { promise, resolve, timer: undefined };
      this.#state = 'closing';
      if (!options.force && this.#book.outstanding > 0) {
        const ms = this.#o.closeTimeoutMs;
        this.#closing.timer = this.#o.clock.setTimer(ms, () => this.#finishClose(true));
        return promise;
      }
    }
    const { promise } = this.#closing;
    if (options.force || this.#book.outstanding === 0) this.#finishClose(options.force === true);
    return promise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs the connection as a supervised task: connects (unless it already is), reports ready at once,
   * and runs until stopped (then closes gracefully) or until the reconnect policy gives up (then crashes
   * with `CONNECT_FAILED`, so the supervisor can restart it).
   */
  run(ctx: TaskContext): Promise<unknown> {
    if (this.#run !== undefined) {
      return Promise.reject(new Error(`connection to ${this.where} is already running as a task`));
    }
    this.connect();
    const done = new Promise<unknown>((resolve, reject) => {
      this.#run = { resolve, reject };
    });
    ctx.ready();
    const offStop = ctx.onStop(() => void this.close());
    return done.finally(() => {
      offStop();
      this.#run = undefined;
    });
  }

  #refusal(): Error | undefined {
    const state = this.#state;
    if (state === 'closing' || state === 'closed') return new ConnectionClosedError(this.where);
    if (state === 'failed') return this.#failure;
    if (this.#book.queued >= this.#o.maxQueue) {
      const cause = this.#dialer.lastError;
      return new QueueFullError(this.where, this.#o.maxQueue, { cause });
    }
    return undefined;
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const link = this.#dialer.link;
    if (!this.#dialer.ready || this.#blocked || link === undefined) return;
    for (;;) {
      const empty = this.#book.encodeInto(this.#batch, MAX_BATCH);
      if (!link.write(this.#batch)) {
        this.#blocked = !link.closed;
        return;
      }
      if (empty) return;
    }
  };

  // ---- the dialer's reports ------------------------------------------------------------------

  #hooks(): DialerHooks<Req, Res> {
    return {
      onFrame: (link, frame) => this.#onFrame(link, frame),
      onDrain: () => {
        this.#blocked = false;
        this.#flush();
      },
      onReady: () => this.#flush(),
      onLost: (error, wasReady) => this.#onLost(error, wasReady),
      onGiveUp: (error) => this.#giveUp(error),
      handshakeRequest: (link, request) => this.#handshakeRequest(link, request),
      setState: (state) => {
        if (this.#state !== 'closing') this.#state = state;
      },
      readPaused: () => this.#readPaused,
    };
  }

  #onFrame(link: Link<Res>, frame: Res): void {
    const { codec } = this.#o;
    if (codec.isPush?.(frame) === true) {
      if (this.#pushes === undefined) this.#droppedPushes++;
      else this.#pushes.deliver(frame);
      return;
    }
    const next = this.#book.nextReply;
    const error = next === undefined ? undefined : codec.replyError?.(frame, next.request);
    if (!this.#book.reply(frame, error)) {
      link.lose(new ProtocolError(this.where, 'the peer sent a reply no request asked for'));
    }
  }

  readonly #pushFlow: PushFlow = {
    pause: () => {
      this.#readPaused = true;
      this.#dialer.link?.pause();
    },
    resume: () => {
      this.#readPaused = false;
      this.#dialer.link?.resume();
    },
    detach: (stream) => {
      if (this.#pushes === stream) this.#pushes = undefined;
    },
  };

  #start(): void {
    this.#startPending = false;
    this.#failure = undefined;
    this.#dialer.start();
  }

  #handshakeRequest(link: Link<Res>, request: Req): Promise<Res> {
    if (link !== this.#dialer.link || link.closed) {
      return Promise.reject(new ConnectionLostError(this.where, { cause: this.#dialer.lastError }));
    }
    const batch = new WriteBatch();
    try {
      this.#o.codec.encode(request, batch);
    } catch (error) {
      return Promise.reject(error);
    }
    const { pending, promise } = this.#book.addHandshake(request);
    this.#book.inflight.push(pending);
    link.write(batch);
    return promise;
  }

  #onLost(error: Error, wasReady: boolean): void {
    this.#blocked = false;
    const protocol = hasErrorCode(error, 'PROTOCOL_ERROR');
    // One error object for all of them: a drop with 100,000 requests in flight must not build 100,000 stacks.
    const failure = protocol ? error : new ConnectionLostError(this.where, { cause: error });
    const inflight = this.#book.failInflight(failure);
    if (this.#state === 'closed' || this.#state === 'failed') return;
    if (!wasReady) {
      this.#dialer.attemptFailed(error);
      return;
    }
    this.#events.emit('disconnected', { reason: error, inflight, queued: this.#book.queued });
    if (protocol) this.#events.emit('error', { error });
    this.#dialer.retry();
  }

  #giveUp(error: ConnectFailedError): void {
    this.#failure = error;
    this.#state = 'failed';
    const closing = this.#closing;
    this.#closing = undefined;
    closing?.timer?.cancel();
    this.#book.failAll(error);
    this.#events.emit('error', { error });
    this.#events.emit('closed', { error });
    this.#pushes?.end();
    closing?.resolve();
    this.#run?.reject(error);
  }

  #finishClose(force: boolean): void {
    const closing = this.#closing;
    if (closing === undefined) return;
    this.#closing = undefined;
    closing.timer?.cancel();
    this.#state = 'closed';
    this.#startPending = false;
    this.#dialer.stop(!force);
    const detail = force
      ? 'the connection was closed before the reply came (close({ force }) or closeTimeoutMs passed)'
      : undefined;
    this.#book.failAll(new ConnectionClosedError(this.where, detail));
    this.#pushes?.end();
    this.#events.emit('closed', {});
    closing.resolve();
    this.#run?.resolve(SHUTDOWN);
  }
}

/** Creates a {@link Connection}; it starts connecting at once unless `autoConnect` is false. */
export function createConnection<Req, Res>(
  options: ConnectionOptions<Req, Res>,
): Connection<Req, Res> {
  return new Connection(options);
}
