import type { Timer } from '../clock/index.js';
import { createBackoff, type Backoff } from '../backoff/index.js';
import { ConnectFailedError, TimeoutError } from '../errors/index.js';
import type { Emitter } from '../events/index.js';
import type { ConnectionEvents } from './events.js';
import { runHandshake } from './handshake.js';
import { Link, type LinkHost } from './link.js';
import type { ResolvedConnectionOptions } from './options.js';
import { StallWatch } from './stall-watch.js';

/** What the dialer asks of its connection. */
export interface DialerHooks<Req, Res> {
  /** A frame arrived on the current link. */
  onFrame(link: Link<Res>, frame: Res): void;
  /** The current link's write buffer drained. */
  onDrain(): void;
  /** The link is open and its handshake done: requests may go out. */
  onReady(link: Link<Res>): void;
  /** The current link died; `wasReady` tells a dropped connection from a failed attempt. */
  onLost(error: Error, wasReady: boolean): void;
  /** The reconnect policy said stop. */
  onGiveUp(error: ConnectFailedError): void;
  /** Sends a handshake request on `link`, ahead of the queue. */
  handshakeRequest(link: Link<Res>, request: Req): Promise<Res>;
  /** Moves the connection's state (the connection keeps `closing` as it is). */
  setState(state: 'connecting' | 'connected' | 'reconnecting'): void;
  /** True when the new link must start paused (a push consumer is behind). */
  readPaused(): boolean;
}

/**
 * The socket side of a connection: opens links, bounds each attempt by `connectTimeoutMs`, runs the
 * handshake, and after a failure waits out the reconnect policy's delay before the next attempt.
 */
export class Dialer<Req, Res> {
  /** The current link, connecting or ready. */
  link: Link<Res> | undefined;
  /** The current link finished its handshake. */
  ready = false;
  /** Why the connection is down (the last failed attempt or drop). */
  lastError: Error | undefined;
  readonly #backoff: Backoff;
  readonly #stall: StallWatch;
  #connectTimer: Timer | undefined;
  #reconnectTimer: Timer | undefined;

  constructor(
    readonly options: ResolvedConnectionOptions<Req, Res>,
    readonly events: Emitter<ConnectionEvents>,
    readonly hooks: DialerHooks<Req, Res>,
    /** True while the oldest request in flight has already been answered (for the stall watch). */
    headOverdue: () => boolean,
  ) {
    const { clock, random, where } = options;
    this.#backoff = createBackoff(options.reconnect, { clock, random });
    this.#stall = new StallWatch(clock, where, headOverdue);
  }

  /** Starts afresh: a new run of attempts. */
  start(): void {
    this.#backoff.succeed();
    this.#open();
  }

  /** A sent request timed out after `timeoutMs`: watch for a silent peer. */
  requestTimedOut(timeoutMs: number): void {
    if (this.options.dropUnresponsive && this.link !== undefined)
      this.#stall.arm(this.link, timeoutMs);
  }

  /** Cancels every timer and closes the link (after pending writes when `graceful`). */
  stop(graceful: boolean): void {
    this.#reconnectTimer?.cancel();
    this.#reconnectTimer = undefined;
    this.#clearAttempt();
    this.#stall.cancel();
    this.link?.close(graceful);
    this.link = undefined;
    this.ready = false;
  }

  /** Waits out the policy's next delay, then tries again; gives up when the policy says stop. */
  retry(): void {
    const delayMs = this.#backoff.fail();
    if (delayMs === 'stop') {
      const { where } = this.options;
      this.hooks.onGiveUp(
        new ConnectFailedError(where, this.#backoff.attempt, { cause: this.lastError }),
      );
      return;
    }
    this.hooks.setState('reconnecting');
    this.events.emit('reconnecting', { attempt: this.#backoff.attempt, delayMs });
    this.#reconnectTimer = this.options.clock.setTimer(delayMs, () => {
      this.#reconnectTimer = undefined;
      this.#open();
    });
  }

  readonly #linkHost: LinkHost<Res> = {
    onOpen: (link) => this.#onOpen(link),
    onFrame: (link, frame) => {
      if (link === this.link) this.hooks.onFrame(link, frame);
    },
    onDrain: (link) => {
      if (link === this.link) this.hooks.onDrain();
    },
    onLost: (link, error) => this.#onLost(link, error),
  };

  #open(): void {
    this.hooks.setState('connecting');
    this.events.emit('connecting', { attempt: this.#backoff.attempt + 1 });
    let link: Link<Res>;
    try {
      link = new Link(this.options, this.#linkHost);
    } catch (error) {
      this.#attemptFailed(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.link = link;
    if (this.hooks.readPaused()) link.pause();
    const ms = this.options.connectTimeoutMs;
    const message = `connecting to ${this.options.where} took longer than ${ms} ms (connectTimeoutMs); the host is unreachable, slow, or not answering the handshake`;
    this.#connectTimer = this.options.clock.setTimer(ms, () =>
      link.lose(new TimeoutError(message, ms)),
    );
  }

  #onOpen(link: Link<Res>): void {
    if (link !== this.link) return;
    const { handshake, where } = this.options;
    if (handshake === undefined) {
      this.#becomeReady(link);
      return;
    }
    const session = {
      where,
      attempt: this.#backoff.attempt + 1,
      request: (request: Req) => this.hooks.handshakeRequest(link, request),
    };
    const done = (): void => {
      if (link === this.link) this.#becomeReady(link);
    };
    const failed = (error: Error): void => {
      if (link === this.link) link.lose(error);
    };
    runHandshake(handshake, session, done, failed);
  }

  #becomeReady(link: Link<Res>): void {
    this.#clearAttempt();
    const attempt = this.#backoff.attempt + 1;
    this.#backoff.succeed();
    this.ready = true;
    this.lastError = undefined;
    this.hooks.setState('connected');
    this.events.emit('connected', { attempt });
    this.hooks.onReady(link);
  }

  #onLost(link: Link<Res>, error: Error): void {
    if (link !== this.link) return;
    this.link = undefined;
    const wasReady = this.ready;
    this.ready = false;
    this.#clearAttempt();
    this.#stall.cancel();
    this.lastError = error;
    this.hooks.onLost(error, wasReady);
  }

  #attemptFailed(error: Error): void {
    this.lastError = error;
    this.events.emit('error', { error });
    this.retry();
  }

  /** Reports a failed attempt (not a dropped connection): error event, then the backoff. */
  attemptFailed(error: Error): void {
    this.#attemptFailed(error);
  }

  #clearAttempt(): void {
    this.#connectTimer?.cancel();
    this.#connectTimer = undefined;
  }
}
