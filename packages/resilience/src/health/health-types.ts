import type { Clock, Random } from '../clock/index.js';
import type { BackoffPolicy } from '../backoff/index.js';

/**
 * Where a health checker stands. `connecting`: its first attempt of this run is in progress.
 * `up`: the target is reachable. `down`: it was lost (or never reached) and is being retried.
 * `failed`: `maxRetries` retries in a row failed (with `afterFailure: 'keep-trying'` it is still retried).
 * `stopped`: the checker is not running.
 */
export const healthStatuses = ['connecting', 'up', 'down', 'failed', 'stopped'] as const;
export type HealthStatus = (typeof healthStatuses)[number];

/** What happens once `maxRetries` retries in a row have failed. */
export const afterFailureModes = ['stop', 'keep-trying'] as const;
export type AfterFailure = (typeof afterFailureModes)[number];

/**
 * A frozen copy of a checker's state, taken after the update that it reports (so `onDisconnect` sees the
 * disconnected state, `onFailure` the failed one).
 */
export interface HealthSnapshot {
  /** The checker's id. */
  readonly id: string;
  /** What it watches, e.g. `tcp 127.0.0.1:5432` or `probe db`. */
  readonly target: string;
  readonly status: HealthStatus;
  /**
   * Attempts to bring the target up (connects, or probes while it is not up) that failed in a row; 0
   * while up. Losing a link that was up is not an attempt: right after a drop it is still 0.
   */
  readonly failureCount: number;
  /** Retries made since the target was lost (what `maxRetries` limits); 0 while up. */
  readonly retries: number;
  /** Every attempt to bring the target up this checker has made, over all its runs. */
  readonly attempts: number;
  /** Times this checker has declared failure, over all its runs. */
  readonly failures: number;
  /** The error that took the target down or failed the last attempt; `undefined` while up. */
  readonly lastError: unknown;
  /** Wall time (ms since the epoch) at which `status` last changed. */
  readonly since: number;
}

/** A checker callback: it gets the snapshot and may be async; its promise is never awaited. */
export type HealthCallback = (snapshot: HealthSnapshot) => unknown;

/** The three callbacks of a checker. */
export const healthCallbackNames = ['onConnect', 'onDisconnect', 'onFailure'] as const;
export type HealthCallbackName = (typeof healthCallbackNames)[number];

/** Events of a {@link HealthChecker}; the first three mirror the callbacks. */
export interface HealthEvents {
  /** The target became reachable (at start, or again after being down or failed). */
  connect: HealthSnapshot;
  /** The target was lost, or the first attempt of a run failed. Once per outage, not per retry. */
  disconnect: HealthSnapshot;
  /** `maxRetries` retries in a row failed (or the retry policy said stop). */
  failure: HealthSnapshot;
  /** One attempt failed (every failure, including the first and the retries). */
  'attempt-failed': HealthSnapshot;
  /** A callback threw or its promise rejected. When nobody listens, a process warning is emitted. */
  'callback-error': {
    readonly callback: HealthCallbackName;
    readonly error: unknown;
    readonly snapshot: HealthSnapshot;
  };
}

/**
 * An application-level ping over the persistent TCP connection, to notice a peer that is hung or
 * unreachable while its socket still looks open. Every `intervalMs` the checker writes `request` and
 * reads until `isReply(received)` is true; no reply within `timeoutMs` counts as a lost connection.
 */
export interface PingOptions {
  /** Written to the socket, e.g. `'PING\r\n'` for Redis. */
  readonly request: string | Uint8Array;
  /** True once the bytes received since the request hold a whole reply, e.g. `(b) => b.includes('\r\n')`. */
  readonly isReply: (received: Buffer) => boolean;
  /** Time between pings, in ms. Default 1,000. */
  readonly intervalMs?: number;
  /** Time a reply may take, in ms. Default 1,000. */
  readonly timeoutMs?: number;
}

/** Options common to both kinds of target. */
export interface HealthCheckerBaseOptions {
  /** Names the checker in snapshots, errors and supervisor trees. Default `health:<target>`. */
  readonly id?: string;
  /**
   * Delays between retries after the target is lost. Default `constant(1000)`: every second. Any policy
   * works; when it says stop, failure is declared even before `maxRetries`.
   */
  readonly retry?: BackoffPolicy;
  /** Retries in a row that may fail before failure is declared. Default 10. `Infinity`: never. */
  readonly maxRetries?: number;
  /**
   * After failure: `stop` (default) ends the run with a `MaxRetriesExceededError` (code
   * `MAX_RETRIES_EXCEEDED`) and leaves it to the supervisor; `keep-trying` goes on retrying at the
   * policy's last delay (its cap), staying `failed` until the target comes back.
   */
  readonly afterFailure?: AfterFailure;
  readonly onConnect?: HealthCallback;
  readonly onDisconnect?: HealthCallback;
  readonly onFailure?: HealthCallback;
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Jitter source of the retry policy. Default `Math.random`. */
  readonly random?: Random;
}

/** A TCP endpoint held open as a persistent connection: a drop is noticed as soon as the socket closes. */
export interface TcpHealthOptions extends HealthCheckerBaseOptions {
  /** Default `localhost`. Prefer an IP address when running thousands of checkers (no DNS lookup). */
  readonly host?: string;
  /** Required: the TCP port to watch, e.g. 5432. */
  readonly port: number;
  /** A connect that takes longer fails the attempt, in ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /**
   * Idle time before TCP keepalive probes start, in ms; `false` turns keepalive off. Default 10,000.
   * Node (libuv) then probes every second, 10 times, so a peer that vanished without a word is noticed
   * after about `keepAliveMs` + 10 s. Add `ping` to notice a hung or unreachable peer sooner.
   */
  readonly keepAliveMs?: number | false;
  /** An optional application ping, to notice a hung or black-holed peer quickly. */
  readonly ping?: PingOptions;
  readonly probe?: undefined;
  readonly session?: undefined;
}

/** What a probe receives: a signal that aborts when the probe times out or the checker stops. */
export interface ProbeContext {
  readonly signal: AbortSignal;
}

/** Any async check, polled on an interval: resolving is healthy, throwing or rejecting is not. */
export interface ProbeHealthOptions extends HealthCheckerBaseOptions {
  readonly probe: (ctx: ProbeContext) => unknown;
  /** Names the target in snapshots, e.g. `postgres primary`. Default `probe`. */
  readonly name?: string;
  /** Time between probes while up, in ms. Default 5,000. Retries while down follow `retry`. */
  readonly intervalMs?: number;
  /** A probe that takes longer fails, and its signal aborts, in ms. Default 5,000. */
  readonly timeoutMs?: number;
  readonly port?: undefined;
  readonly session?: undefined;
}

/** What `session` receives: a signal that aborts when the open times out or the checker stops. */
export interface SessionContext {
  readonly signal: AbortSignal;
}

/** A persistent session the application opened, as a session health check sees it. */
export interface HealthSession {
  /** Settles (either way) when the session ends: the server closed it, the network broke, … */
  readonly closed: PromiseLike<unknown>;
  /** Ends the session (the checker stops, or no longer needs it). */
  close(): unknown;
}

/**
 * A persistent session the application opens itself — an authenticated database client, say — held
 * open like a TCP connection: a drop is noticed as soon as the session ends. Prefer it to a raw TCP
 * connection for servers that close connections which never log in (PostgreSQL does after
 * `authentication_timeout`, 60 s by default).
 */
export interface SessionHealthOptions extends HealthCheckerBaseOptions {
  readonly session: (ctx: SessionContext) => PromiseLike<HealthSession> | HealthSession;
  /** Names the target in snapshots, e.g. `postgres`. Default `session`. */
  readonly name?: string;
  /** Opening a session that takes longer fails the attempt (and aborts its signal), in ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  readonly port?: undefined;
  readonly probe?: undefined;
}

/** Options of {@link createHealthChecker}: a TCP target (`port`), a session (`session`) or a probe (`probe`). */
export type HealthCheckerOptions = TcpHealthOptions | SessionHealthOptions | ProbeHealthOptions;
