/** Where an alert intent is: waiting (or retrying), leased to a worker, delivered, or given up on. */
export const outboxStatuses = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** An alert to deliver, written with the state change that raised it (same transaction). */
export interface OutboxIntent {
  readonly notifierId: string;
  /** e.g. `trigger`, `resolve`. */
  readonly eventKind: string;
  /** What the notifier needs; stored as JSON. */
  readonly payload: unknown;
  /** Stable per monitor and notifier (PagerDuty's `dedup_key`), so trigger and resolve pair up. */
  readonly dedupKey: string;
  /** Earliest delivery, ms. Default: the change's time. */
  readonly notBefore?: number;
}

/** An outbox row. */
export interface OutboxEntry {
  readonly id: number;
  readonly monitorId: string;
  readonly notifierId: string;
  readonly eventKind: string;
  readonly payload: unknown;
  readonly dedupKey: string;
  readonly status: OutboxStatus;
  /** Delivery attempts finished so far. */
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** Options of {@link Outbox.claim}. */
export interface ClaimOptions {
  /** Who claims (a worker id); only it may then report on the rows. */
  readonly owner: string;
  /** Default 10. */
  readonly limit?: number;
  /** How long the rows are reserved, ms (default 60 s); past it another worker may claim them again. */
  readonly leaseMs?: number;
}

/** A finished delivery attempt. */
export interface AttemptReport {
  /** The owner that claimed the row. */
  readonly owner: string;
  readonly durationMs?: number;
  /** A short note for the log: an HTTP status, a provider's id. */
  readonly detail?: string;
}

/** A failed delivery attempt. */
export interface FailureReport extends AttemptReport {
  readonly error: string;
  /** When to try again, ms; `null` gives up (status `failed`). */
  readonly retryAt: number | null;
}

/** One finished attempt of {@link Outbox.settle}: delivered, or failed (with its retry time). */
export type Settlement =
  | ({ readonly id: number; readonly outcome: 'delivered' } & AttemptReport)
  | ({ readonly id: number; readonly outcome: 'failed' } & FailureReport);

/** One line of the delivery log. */
export interface Delivery {
  readonly id: number;
  readonly outboxId: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly at: number;
  readonly outcome: 'delivered' | 'failed';
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly detail: string | null;
}

/** What the delivery worker needs from the store's outbox. */
export interface Outbox {
  /**
   * Leases up to `limit` due rows to `owner`: pending rows whose next attempt is due, and rows whose
   * previous lease expired (a worker died mid-delivery). Oldest due first. Two workers never get the
   * same row while its lease lasts (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time).
   */
  claim(options: ClaimOptions): Promise<OutboxEntry[]>;
  /** Marks a leased row delivered and logs the attempt. False when `owner` no longer holds the lease. */
  delivered(id: number, report: AttemptReport): Promise<boolean>;
  /** Logs a failed attempt; the row waits for `retryAt`, or is given up. False when the lease was lost. */
  failed(id: number, report: FailureReport): Promise<boolean>;
  /**
   * Records many finished attempts in one transaction (as `delivered` and `failed` do one by one);
   * resolves with one flag per settlement, false where the lease was lost.
   */
  settle(settlements: readonly Settlement[]): Promise<boolean[]>;
  /**
   * Writes intents that no state change raised (a reminder, a certificate close to expiry, a flapping
   * monitor that calmed down) for one monitor, in one transaction; resolves with their ids in order.
   * Rejects with a `RangeError` when the store does not know the monitor.
   */
  enqueue(monitorId: string, intents: readonly OutboxIntent[]): Promise<number[]>;
  /**
   * Hands back every row leased to `owner` (a worker that restarted under the same name): they are due
   * again at once, their attempts unchanged. Resolves with how many.
   */
  recover(owner: string): Promise<number>;
  get(id: number): Promise<OutboxEntry | undefined>;
  /** Rows by id, ascending after `afterId`. */
  list(query?: {
    readonly status?: OutboxStatus;
    readonly monitorId?: string;
    readonly afterId?: number;
    readonly limit?: number;
  }): Promise<OutboxEntry[]>;
  /** The delivery log, newest first. */
  deliveries(query?: {
    readonly outboxId?: number;
    readonly beforeId?: number;
    readonly limit?: number;
  }): Promise<Delivery[]>;
}
