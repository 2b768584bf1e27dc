import type { Timer } from '../clock/index.js';
import { createBackoff, type Backoff } from '../backoff/index.js';
import { Deque } from '../collections/index.js';
import {
  ConnectFailedError,
  ConnectionClosedError,
  ConnectionLostError,
  ProtocolError,
  QueueFullError,
  RequestTimeoutError,
  TimeoutError,
  hasErrorCode,
} from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { SHUTDOWN, type Task, type TaskContext } from '../supervision/index.js';
import type { ConnectionEvents, ConnectionState } from './events.js';
import type { HandshakeSession } from './handshake.js';
import { Link, type LinkHost } from './link.js';
import {
  resolveConnectionOptions,
  type ConnectionOptions,
  type ResolvedConnectionOptions,
} from './options.js';
import { Pending, TimeoutQueue } from './pending.js';
import { PushStream, type PushFlow } from './push-stream.js';
import { checkMs } from './validate.js';
import { WriteBatch } from './write-batch.js';

/** Per-request options of {@link Connection.request}. */
export interface RequestOptions {
  /** Overrides the connection's `requestTimeoutMs` for this request (`Infinity`: none). */
  readonly timeoutMs?: number;
  /** Aborting rejects the request with the signal's reason; if it was sent, its reply is dropped. */
  readonly signal?: AbortSignal;
}

/** Options of {@link Connection.close}. */
export interface CloseOptions {
  /** Reject everything outstanding with `CONNECTION_CLOSED` at once instead of draining. */
  readonly force?: boolean;
}

/** Counters of a connection, for metrics and health pages. */
export interface ConnectionStats {
  readonly state: ConnectionState;
  /** Requests waiting to be sent. */
  readonly queued: number;
  /** Requests written and awaiting their reply (including timed-out ones whose late reply is still due). */
  readonly inflight: number;
  /** Push frames that arrived with no `pushes()` consumer and were dropped. */
  readonly droppedPushes: number;
}

/** Largest batch written in one `socket.write`, about 256 KiB. */
const MAX_BATCH = 256 * 1024;

/**
 * A resilient, pipelined client connection to one peer over TCP or TLS, for any request/reply protocol
 * given as a {@link Codec}. It connects in the background and reconnects on a backoff; requests wait in a
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
  readonly #queue = new Deque<Pending<Req, Res>>(1024);
  readonly #inflight = new Deque<Pending<Req, Res>>(1024);
  readonly #timeouts: TimeoutQueue<Req, Res>;
  readonly #backoff: Backoff;
  readonly #batch = new WriteBatch();
  #state: ConnectionState = 'idle';
  #link: Link<Res> | undefined;
  /** The link finished its handshake: queued requests may go out. */
  #ready = false;
  /** The socket's buffer is full; wait for `drain`. */
  #blocked = false;
  #flushScheduled = false;
  /** Live (not done) requests in the queue, and done ones still occupying it. */
  #queued = 0;
  #queuedDead = 0;
  /** Requests not yet answered, queued or in flight. */
  #outstanding = 0;
  #connectTimer: Timer | undefined;
  #reconnectTimer: Timer | undefined;
  #stallTimer: Timer | undefined;
  #lastError: Error | undefined;
  #failure: ConnectFailedError | undefined;
  #closing: { promise: Promise<void>; resolve: () => void; timer: Timer | undefined } | undefined;
  #run: { resolve: (value: unknown) => void; reject: (error: unknown) => void } | undefined;
  #pushes: PushStream<Res> | undefined;
  #readPaused = false;
  #droppedPushes = 0;

  constructor(options: ConnectionOptions<Req, Res>) {
    this.#o = resolveConnectionOptions(options);
    this.where = this.#o.where;
    this.defaultShutdownMs = this.#o.closeTimeoutMs + 1000;
    this.#timeouts = new TimeoutQueue(this.#o.clock, (p) =>
      this.#expire(p, this.#o.requestTimeoutMs),
    );
    this.#backoff = createBackoff(this.#o.reconnect, {
      clock: this.#o.clock,
      random: this.#o.random,
    });
    if (this.#o.autoConnect) this.#start();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get stats(): ConnectionStats {
    return {
      state: this.#state,
      queued: this.#queued,
      inflight: this.#inflight.size,
      droppedPushes: this.#droppedPushes,
    };
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
    if (this.#state === 'idle' || this.#state === 'closed' || this.#state === 'failed')
      this.#start();
  }

  /**
   * Sends `request` and resolves with its reply. It is written at once when connected (requests of the
   * same tick share one write) or queued until the connection is up. Rejects with `QUEUE_FULL`,
   * `REQUEST_TIMEOUT`, `CONNECTION_LOST`, `PROTOCOL_ERROR`, `CONNECTION_CLOSED`, `CONNECT_FAILED`, the
   * codec's reply error, or the signal's reason.
   */
  request(request: Req, options?: RequestOptions): Promise<Res> {
    const canSend = this.#ready && !this.#blocked;
    if (!canSend || this.#state === 'closing') {
      const refusal = this.#refusal();
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    const p = new Pending<Req, Res>(request);
    const promise = new Promise<Res>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    if (options === undefined) {
      if (this.#o.requestTimeoutMs !== Infinity) {
        this.#timeouts.add(p, this.#o.clock.monotonic() + this.#o.requestTimeoutMs);
      }
    } else if (!this.#applyOptions(p, options)) {
      return promise;
    }
    this.#queue.push(p);
    this.#queued++;
    this.#outstanding++;
    if (canSend && !this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
    return promise;
  }

  /**
   * The peer's push frames (RESP3 pushes, say: frames for which `codec.isPush` is true), as an async
   * iterator with backpressure (see `pushHighWaterMark`). One consumer at a time; pushes that arrive with
   * no consumer are dropped. Ends when the connection closes.
   */
  pushes(): AsyncIterableIterator<Res> {
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
    if (this.#state === 'idle' || this.#state === 'closed' || this.#state === 'failed') {
      if (this.#state === 'idle') this.#state = 'closed';
      return Promise.resolve();
    }
    if (this.#closing === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#closing = { promise, resolve, timer: undefined };
      this.#state = 'closing';
      if (!options.force && this.#outstanding > 0) {
        this.#closing.timer = this.#o.clock.setTimer(this.#o.closeTimeoutMs, () =>
          this.#finishClose(true),
        );
        return promise;
      }
    }
    const closing = this.#closing;
    if (options.force || this.#outstanding === 0) this.#finishClose(options.force === true);
    return closing.promise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs the connection as a supervised task: connects (if it is not already), reports ready at once,
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
      if (this.#state === 'closed') resolve(SHUTDOWN);
    });
    ctx.ready();
    const offStop = ctx.onStop(() => void this.close());
    return done.finally(() => {
      offStop();
      this.#run = undefined;
    });
  }

  // ---- requests -------------------------------------------------------------------------------

  #refusal(): Error | undefined {
    const state = this.#state;
    if (state === 'closing' || state === 'closed') return new ConnectionClosedError(this.where);
    if (state === 'failed') return this.#failure;
    if (this.#queued >= this.#o.maxQueue) {
      return new QueueFullError(this.where, this.#o.maxQueue, { cause: this.#lastError });
    }
    return undefined;
  }

  /** Applies per-request options; false when the request was settled already (aborted signal). */
  #applyOptions(p: Pending<Req, Res>, options: RequestOptions): boolean {
    const { signal } = options;
    if (signal?.aborted) {
      p.settle(signal.reason);
      return false;
    }
    const timeoutMs =
      options.timeoutMs === undefined
        ? this.#o.requestTimeoutMs
        : checkMs('Connection.request', 'timeoutMs', options.timeoutMs, true);
    if (timeoutMs === this.#o.requestTimeoutMs) {
      if (timeoutMs !== Infinity) this.#timeouts.add(p, this.#o.clock.monotonic() + timeoutMs);
    } else if (timeoutMs !== Infinity) {
      p.timer = this.#o.clock.setTimer(timeoutMs, () => this.#expire(p, timeoutMs));
    }
    if (signal !== undefined) {
      p.signal = signal;
      p.onAbort = () => this.#settle(p, signal.reason);
      signal.addEventListener('abort', p.onAbort, { once: true });
    }
    return true;
  }

  #expire(p: Pending<Req, Res>, timeoutMs: number): void {
    if (p.done) return;
    const error = new RequestTimeoutError(this.where, timeoutMs, p.sent, {
      cause: p.sent ? undefined : this.#lastError,
    });
    this.#settle(p, error);
    if (p.sent) this.#armStall(timeoutMs);
  }

  /** Answers a user request (not a handshake one) and keeps the counters. */
  #settle(p: Pending<Req, Res>, error: unknown, value?: Res): void {
    if (p.done) return;
    p.settle(error, value);
    if (!p.sent) {
      this.#queued--;
      this.#queuedDead++;
      if (this.#queuedDead > 1024 && this.#queuedDead > this.#queued) this.#compactQueue();
    }
    if (--this.#outstanding === 0 && this.#closing !== undefined) this.#finishClose(false);
  }

  #compactQueue(): void {
    for (const p of this.#queue.drain()) if (!p.done) this.#queue.push(p);
    this.#queuedDead = 0;
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const link = this.#link;
    if (!this.#ready || this.#blocked || link === undefined) return;
    const { codec } = this.#o;
    const batch = this.#batch;
    const queue = this.#queue;
    while (queue.size > 0) {
      const p = queue.shift() as Pending<Req, Res>;
      if (p.done) {
        this.#queuedDead--;
        continue;
      }
      batch.setMark();
      try {
        codec.encode(p.request, batch);
      } catch (error) {
        batch.rollback();
        this.#settle(p, error);
        continue;
      }
      this.#queued--;
      p.sent = true;
      this.#inflight.push(p);
      if (batch.size >= MAX_BATCH && !this.#write(link)) return;
    }
    this.#write(link);
  };

  #write(link: Link<Res>): boolean {
    if (link.write(this.#batch)) return true;
    this.#blocked = !link.closed;
    return false;
  }

  // ---- link events ----------------------------------------------------------------------------

  readonly #host: LinkHost<Res> = {
    onOpen: (link) => this.#onOpen(link),
    onFrame: (link, frame) => {
      if (link !== this.#link) return;
      const { codec } = this.#o;
      if (codec.isPush?.(frame) === true) {
        if (this.#pushes === undefined) this.#droppedPushes++;
        else this.#pushes.deliver(frame);
        return;
      }
      const p = this.#inflight.shift();
      if (p === undefined) {
        link.lose(new ProtocolError(this.where, 'the peer sent a reply no request asked for'));
        return;
      }
      if (p.done) return; // timed out or aborted: the late reply is read and dropped
      const error = codec.replyError?.(frame, p.request);
      if (p.handshake) p.settle(error, frame);
      else this.#settle(p, error, frame);
      if (p.deadline !== Infinity) this.#timeouts.prune();
    },
    onDrain: (link) => {
      if (link !== this.#link) return;
      this.#blocked = false;
      this.#flush();
    },
    onLost: (link, error) => this.#onLost(link, error),
  };

  readonly #pushFlow: PushFlow = {
    pause: () => {
      this.#readPaused = true;
      this.#link?.pause();
    },
    resume: () => {
      this.#readPaused = false;
      this.#link?.resume();
    },
    detach: (stream) => {
      if (this.#pushes === stream) this.#pushes = undefined;
    },
  };

  #start(): void {
    this.#failure = undefined;
    this.#backoff.succeed();
    this.#state = 'connecting';
    this.#open();
  }

  #open(): void {
    const attempt = this.#backoff.attempt + 1;
    if (this.#state !== 'closing') this.#state = 'connecting';
    this.#events.emit('connecting', { attempt });
    let link: Link<Res>;
    try {
      link = new Link(this.#o, this.#host);
    } catch (error) {
      this.#attemptFailed(toError(error));
      return;
    }
    this.#link = link;
    if (this.#readPaused) link.pause();
    const ms = this.#o.connectTimeoutMs;
    this.#connectTimer = this.#o.clock.setTimer(ms, () =>
      link.lose(
        new TimeoutError(
          `connecting to ${this.where} took longer than ${ms} ms (connectTimeoutMs); the host is unreachable, slow, or not answering the handshake`,
          ms,
        ),
      ),
    );
  }

  #onOpen(link: Link<Res>): void {
    if (link !== this.#link) return;
    const { handshake } = this.#o;
    if (handshake === undefined) {
      this.#becomeReady(link);
      return;
    }
    const session: HandshakeSession<Req, Res> = {
      where: this.where,
      attempt: this.#backoff.attempt + 1,
      request: (request) => this.#handshakeRequest(link, request),
    };
    let running: Promise<void>;
    try {
      running = Promise.resolve(handshake(session));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => {
        if (link === this.#link) this.#becomeReady(link);
      },
      (error: unknown) => {
        if (link === this.#link) link.lose(toError(error));
      },
    );
  }

  #handshakeRequest(link: Link<Res>, request: Req): Promise<Res> {
    if (link !== this.#link || link.closed) {
      return Promise.reject(new ConnectionLostError(this.where, { cause: this.#lastError }));
    }
    const p = new Pending<Req, Res>(request);
    p.handshake = true;
    const promise = new Promise<Res>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    const batch = new WriteBatch();
    try {
      this.#o.codec.encode(request, batch);
    } catch (error) {
      return Promise.reject(error);
    }
    p.sent = true;
    this.#inflight.push(p);
    link.write(batch);
    return promise;
  }

  #becomeReady(link: Link<Res>): void {
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    const attempt = this.#backoff.attempt + 1;
    this.#backoff.succeed();
    this.#ready = true;
    this.#lastError = undefined;
    if (this.#state !== 'closing') this.#state = 'connected';
    this.#events.emit('connected', { attempt });
    if (link === this.#link) this.#flush();
  }

  #onLost(link: Link<Res>, error: Error): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    const wasReady = this.#ready;
    this.#ready = false;
    this.#blocked = false;
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    this.#stallTimer?.cancel();
    this.#stallTimer = undefined;
    this.#lastError = error;
    const failure = hasErrorCode(error, 'PROTOCOL_ERROR')
      ? error
      : new ConnectionLostError(this.where, { cause: error });
    let failed = 0;
    for (const p of this.#inflight.drain()) {
      if (p.done) continue;
      if (p.handshake) {
        p.settle(failure);
      } else {
        failed++;
        this.#settle(p, failure);
      }
    }
    if (this.#state === 'closed') return;
    if (wasReady) {
      this.#events.emit('disconnected', { reason: error, inflight: failed, queued: this.#queued });
      if (failure === error) this.#events.emit('error', { error });
      if (this.#closing !== undefined && this.#outstanding === 0) return;
      this.#scheduleReconnect();
    } else {
      this.#attemptFailed(error);
    }
  }

  #attemptFailed(error: Error): void {
    this.#lastError = error;
    this.#events.emit('error', { error });
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delayMs = this.#backoff.fail();
    if (delayMs === 'stop') {
      this.#giveUp();
      return;
    }
    if (this.#state !== 'closing') this.#state = 'reconnecting';
    this.#events.emit('reconnecting', { attempt: this.#backoff.attempt, delayMs });
    this.#reconnectTimer = this.#o.clock.setTimer(delayMs, () => {
      this.#reconnectTimer = undefined;
      this.#open();
    });
  }

  #armStall(timeoutMs: number): void {
    if (!this.#o.dropUnresponsive || this.#stallTimer !== undefined || this.#link === undefined)
      return;
    const link = this.#link;
    const check = (): void => {
      this.#stallTimer = undefined;
      if (link !== this.#link || this.#inflight.peek()?.done !== true) return;
      const quietMs = this.#o.clock.monotonic() - link.lastReadAt;
      if (quietMs < timeoutMs) {
        this.#stallTimer = this.#o.clock.setTimer(timeoutMs - quietMs, check);
        return;
      }
      link.lose(
        new TimeoutError(
          `${this.where} sent nothing for ${Math.round(quietMs)} ms while a request was overdue; dropped the connection as unresponsive`,
          timeoutMs,
        ),
      );
    };
    this.#stallTimer = this.#o.clock.setTimer(timeoutMs, check);
  }

  #giveUp(): void {
    const error = new ConnectFailedError(this.where, this.#backoff.attempt, {
      cause: this.#lastError,
    });
    this.#failure = error;
    this.#state = 'failed';
    const closing = this.#closing;
    this.#closing = undefined;
    closing?.timer?.cancel();
    this.#failAll(error);
    this.#events.emit('error', { error });
    this.#events.emit('closed', { error });
    this.#pushes?.end();
    closing?.resolve();
    this.#run?.reject(error);
  }

  #finishClose(force: boolean): void {
    if (this.#state === 'closed' || this.#closing === undefined) return;
    const closing = this.#closing;
    this.#closing = undefined;
    closing.timer?.cancel();
    this.#state = 'closed';
    this.#reconnectTimer?.cancel();
    this.#reconnectTimer = undefined;
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
    this.#stallTimer?.cancel();
    this.#stallTimer = undefined;
    this.#failAll(
      new ConnectionClosedError(
        this.where,
        force
          ? 'the connection was closed before the reply came (close({ force }) or closeTimeoutMs passed)'
          : undefined,
      ),
    );
    this.#link?.close(!force);
    this.#link = undefined;
    this.#ready = false;
    this.#pushes?.end();
    this.#events.emit('closed', {});
    closing.resolve();
    this.#run?.resolve(SHUTDOWN);
  }

  #failAll(error: Error): void {
    this.#timeouts.clear();
    for (const p of this.#inflight.drain()) {
      if (p.handshake) p.settle(error);
      else this.#settle(p, error);
    }
    for (const p of this.#queue.drain()) this.#settle(p, error);
    this.#queued = 0;
    this.#queuedDead = 0;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Creates a {@link Connection}; it starts connecting at once unless `autoConnect` is false. */
export function createConnection<Req, Res>(
  options: ConnectionOptions<Req, Res>,
): Connection<Req, Res> {
  return new Connection(options);
}
