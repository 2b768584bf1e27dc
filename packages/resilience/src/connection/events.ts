/** The states of a connection, in the order they usually come. */
export const connectionStates = [
  'idle',
  'connecting',
  'connected',
  'reconnecting',
  'closing',
  'closed',
  'failed',
] as const;

/**
 * `idle`: not started (`autoConnect: false`). `connecting`: opening the socket and running the handshake.
 * `connected`: requests flow. `reconnecting`: waiting out a backoff delay before the next attempt.
 * `closing`: `close()` is draining. `closed`: closed for good (until a supervisor runs it again).
 * `failed`: the reconnect policy gave up (`CONNECT_FAILED`).
 */
export type ConnectionState = (typeof connectionStates)[number];

/** Events of a connection (subscribe with `connection.on(name, fn)`). */
export interface ConnectionEvents {
  /** An attempt to connect starts (1 for the first after a success or a start). */
  connecting: { readonly attempt: number };
  /** Socket open and handshake done; queued requests go out now. */
  connected: { readonly attempt: number };
  /** A connected socket was lost. `inflight` requests failed with it; `queued` wait for the next one. */
  disconnected: { readonly reason: Error; readonly inflight: number; readonly queued: number };
  /** The next attempt starts in `delayMs`; `attempt` failures in a row so far. */
  reconnecting: { readonly attempt: number; readonly delayMs: number };
  /** Something failed: a connect attempt, the handshake, a protocol error, giving up. Never thrown. */
  error: { readonly error: Error };
  /** The connection closed for good (after `close()`, or after giving up). */
  closed: { readonly error?: Error };
}

/** Options of `Connection.close`. */
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
