import type { BackoffPolicy } from '../backoff/index.js';
import type { Clock, Random } from '../clock/index.js';
import type { Listener } from '../events/index.js';
import type { HealthSnapshot, HealthStatus } from './health-types.js';

/** The two targets of a failover switch. */
export const failoverRoutes = ['primary', 'replacement'] as const;
export type FailoverRoute = (typeof failoverRoutes)[number];

/**
 * `primary`: calls go to the primary. `replacement`: the primary failed, calls go to the replacement.
 * `reconciling`: the primary is back; new calls wait while the replacement's in-flight calls finish and
 * `reconcile` runs, then go to the primary (or back to the replacement if reconciling failed).
 */
export const failoverStates = ['primary', 'replacement', 'reconciling'] as const;
export type FailoverState = (typeof failoverStates)[number];

/** What a failover switch listens to: a {@link HealthChecker}, or anything with the same two events. */
export interface HealthSource {
  on(name: 'connect' | 'failure', listener: Listener<HealthSnapshot>): () => void;
  readonly status: HealthStatus;
}

/** What `reconcile` receives. */
export interface ReconcileContext<T> {
  readonly primary: T;
  readonly replacement: T;
  /** 1 for the first try after a recovery; retries count up. */
  readonly attempt: number;
  /** Aborts when the primary fails again, the reconcile times out, or the switch is closed. */
  readonly signal: AbortSignal;
}

/**
 * An interface whose methods all return promises. While the switch reconciles, new calls wait, so they
 * can only be answered with a promise; a synchronous method could not be held.
 */
export type AsyncInterface<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => infer R
    ? R extends PromiseLike<unknown>
      ? T[K]
      : never
    : T[K];
};

/** Options of {@link failover}. */
export interface FailoverOptions<T> {
  /** Names the switch in events and errors. Default `failover`. */
  readonly id?: string;
  /** Where calls go while it is healthy. */
  readonly primary: T;
  /** Where calls go after the health source declares failure, e.g. an in-memory store. */
  readonly replacement: T;
  /** Switches to the replacement on `failure`, and back (after `reconcile`) on the next `connect`. */
  readonly health: HealthSource;
  /**
   * Runs when the primary is back, before calls return to it: copy what the replacement received into
   * the primary. It must be idempotent — a reconcile cut short (timeout, the primary failing again) is
   * run again from the start on the next recovery or retry.
   */
  readonly reconcile?: (ctx: ReconcileContext<T>) => unknown;
  /** Delays between retries of a failed reconcile while the primary stays healthy. Default exponential 1 s → 30 s, full jitter. */
  readonly reconcileRetry?: BackoffPolicy;
  /**
   * Time the in-flight calls on the replacement plus `reconcile` may take, in ms; past it the reconcile
   * is aborted and counts as failed, and held calls go to the replacement. Default 60,000.
   */
  readonly reconcileTimeoutMs?: number;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Events of a failover switch. */
export interface FailoverEvents {
  /** New calls now go to `to`. */
  switched: {
    readonly from: FailoverRoute;
    readonly to: FailoverRoute;
    readonly reason: 'failure' | 'recovered';
    /** Wall time, ms since the epoch. */
    readonly at: number;
  };
  /** The primary is back: new calls are held while the replacement drains and `reconcile` runs. */
  reconciling: { readonly attempt: number };
  /** Reconciling failed; calls stay on the replacement. `retryInMs` is `undefined` when no retry follows. */
  'reconcile-failed': {
    readonly attempt: number;
    readonly error: unknown;
    readonly retryInMs: number | undefined;
  };
}

/** Observes and controls a switch made by {@link failover}; get it with {@link failoverControl}. */
export interface FailoverControl {
  readonly id: string;
  readonly state: FailoverState;
  /** Where a call made now runs (while reconciling it waits, then runs on the primary if all went well). */
  readonly route: FailoverRoute;
  /** Calls started and not yet settled, by the target they run on. */
  readonly inFlight: Readonly<Record<FailoverRoute, number>>;
  /** Calls waiting for a reconcile to finish. */
  readonly held: number;
  on<K extends keyof FailoverEvents>(name: K, listener: Listener<FailoverEvents[K]>): () => void;
  /** Stops following the health source; calls keep going to the current route. Aborts a running reconcile. */
  close(): void;
}
