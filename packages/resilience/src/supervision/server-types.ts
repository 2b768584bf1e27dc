import type { Clock, Timer } from '../clock/index.js';

/** What a server's callbacks receive besides the message and state. */
export interface ServerContext<Info> {
  readonly id: string;
  /** Aborts when the server is being stopped. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Queues an info message to this server itself. */
  send(info: Info): void;
  /** Queues `info` to this server after `delayMs`; cancelled when the server stops. */
  sendAfter(delayMs: number, info: Info): Timer;
  /**
   * Stops the server once the current callback returns: a normal exit without `error`, a crash with it.
   * Messages still in the mailbox are dropped and waiting callers get `NOT_RUNNING`.
   */
  stop(error?: unknown): void;
}

/** The reply to a call and, optionally, the new state (omit `state` to keep the current one). */
export interface CallResult<S, Reply> {
  readonly reply: Reply;
  readonly state?: S;
}

const CONTINUE = Symbol('vigil.server.continue');

/** What `init` returns to finish initialising after the server reports ready: see {@link continueWith}. */
export interface ContinueWith<S> {
  readonly [CONTINUE]: true;
  readonly state: S;
}

/**
 * Returned from `init`, lets the server report ready at once and finish initialising in
 * `handleContinue` before it reads any message (OTP's `handle_continue`): a slow connect then never holds
 * up the supervisor's start.
 */
export function continueWith<S>(state: S): ContinueWith<S> {
  return { [CONTINUE]: true, state };
}

export function isContinueWith<S>(value: unknown): value is ContinueWith<S> {
  return typeof value === 'object' && value !== null && CONTINUE in value;
}

/** How a server ended, as `terminate` is told. */
export interface ServerExit {
  readonly reason: 'normal' | 'shutdown' | 'crashed';
  readonly error?: unknown;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The callbacks of a server (OTP's GenServer). Messages are handled one at a time, in arrival order;
 * a callback may be async and the next message waits for it. A callback that throws crashes the server.
 * `handleCast`/`handleInfo`/`handleContinue` return the new state, or `undefined` to keep it.
 */
export interface ServerBehavior<S, Call = never, Reply = never, Cast = never, Info = never> {
  init(ctx: ServerContext<Info>): Awaitable<S | ContinueWith<S>>;
  handleContinue?(state: S, ctx: ServerContext<Info>): Awaitable<S | undefined | void>;
  handleCall?(message: Call, state: S, ctx: ServerContext<Info>): Awaitable<CallResult<S, Reply>>;
  handleCast?(message: Cast, state: S, ctx: ServerContext<Info>): Awaitable<S | undefined | void>;
  handleInfo?(message: Info, state: S, ctx: ServerContext<Info>): Awaitable<S | undefined | void>;
  /** Called once as the server stops, with its last state (`undefined` if `init` never finished). */
  terminate?(exit: ServerExit, state: S | undefined): Awaitable<void>;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Names the server in errors. Default `server`. */
  readonly id?: string;
  readonly clock?: Clock;
  /** Messages that may wait in the mailbox; past it calls reject with `MAILBOX_FULL`. Default unlimited. */
  readonly maxMailbox?: number;
  /** Default timeout of `call`, in ms. Default 5,000. */
  readonly callTimeoutMs?: number;
  /** Shutdown timeout when run at the top with `start()`. Default 5,000 ms. */
  readonly shutdownMs?: number;
}

/** Options of one `call`. */
export interface CallOptions {
  /** Reject with `CALL_TIMEOUT` after this many ms. Default the server's `callTimeoutMs`. */
  readonly timeoutMs?: number;
}
