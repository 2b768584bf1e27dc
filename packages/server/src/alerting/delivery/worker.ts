import { setMaxListeners } from 'node:events';
import {
  exponential,
  type BackoffPolicy,
  type Clock,
  type Random,
  type Timer,
} from '@vigil/resilience';
import type { NotifierConfig } from '../../config/index.js';
import type { Outbox, OutboxEntry, Settlement } from '../../store/index.js';
import type { AlertMessage } from '../alert.js';
import { isAlertPayload, type AlertPayload } from '../intent.js';
import type { Notifier, SendResult } from '../notifier.js';
import { titleOf } from '../router/title.js';
import { Lane, type LaneOptions } from './lane.js';
import { OrderBook } from './order-book.js';

/** A configured notifier: its implementation and its validated config. */
export interface BoundNotifier {
  readonly notifier: Notifier;
  readonly config: NotifierConfig;
}

/** Options of {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  readonly outbox: Outbox;
  readonly notifiers: ReadonlyMap<string, BoundNotifier>;
  readonly clock: Clock;
  readonly random: Random;
  /** The lease owner; stable across restarts of one server, so it recovers its own leases. Default `vigil`. */
  readonly owner?: string;
  /** Looks for due rows at least this often, ms. Default 1,000. */
  readonly pollMs?: number;
  /** Rows per claim. Default 1,000. */
  readonly claimLimit?: number;
  /** Lease of claimed rows, ms. Default 10 min. */
  readonly leaseMs?: number;
  /** Delays between attempts of one row. Default exponential 1 s → 5 min, equal jitter. */
  readonly retry?: BackoffPolicy;
  /** How long finished attempts are gathered before they are written in one transaction, ms. Default 5. */
  readonly settleDelayMs?: number;
  /** Give a row up when it is this old and still failing, ms. Default 24 h. */
  readonly maxAgeMs?: number;
  readonly breaker?: LaneOptions['breaker'];
  /**
   * While this says true for a notifier (its feature flag is off), its rows wait in order, unsent; they go
   * out, oldest first, at the first poll after it says false again.
   */
  readonly paused?: (notifierId: string) => boolean;
  /** Told about store errors (the worker goes on at the next poll) and about rows given up. */
  readonly onError?: (error: unknown) => void;
  /** Told about every finished attempt (for logs and metrics). */
  readonly onAttempt?: (rows: readonly OutboxEntry[], result: SendResult) => void;
}

/**
 * Delivers the outbox, apart from the checks: claims due rows under a lease, groups rows of one rule's
 * group into one message, keeps order per notifier and monitor, and sends through one lane per notifier
 * (concurrency, rate limit, circuit breaker, timeout). Failures are retried on a backoff (or after the
 * receiver's `Retry-After`); every attempt is logged in the store. At least once: a row is marked
 * delivered after its send, so a crash between the two sends it again (receivers drop it by dedup key).
 */
export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions;
  readonly #owner: string;
  readonly #book = new OrderBook();
  readonly #lanes = new Map<string, Lane>();
  readonly #retry: BackoffPolicy;
  readonly #shutdown = new AbortController();

  #notifiers: ReadonlyMap<string, BoundNotifier>;
  #timer: Timer | undefined;
  #timerAt = Infinity;
  /** Times (wall ms) something falls due: a group flushes, a retry. */
  readonly #wakes = new Set<number>();
  #polling: Promise<void> | undefined;
  #again = false;
  #started = false;
  /** Finished attempts waiting to be written. */
  #settled: { row: OutboxEntry; retryAt: number | null; settlement: Settlement }[] = [];
  #settling: Promise<void> | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.#o = options;
    this.#owner = options.owner ?? 'vigil';
    this.#notifiers = options.notifiers;
    this.#retry =
      options.retry ?? exponential({ initialMs: 1000, maxMs: 300_000, jitter: 'equal' });
    if (this.#owner === '') throw new RangeError('delivery worker: owner must not be empty');
    // Every send in flight listens on it.
    setMaxListeners(0, this.#shutdown.signal);
  }

  /** Takes back rows this owner held before a restart, notes older pending rows, and starts polling. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#o.outbox.recover(this.#owner);
    for (let after = 0; ;) {
      const rows = await this.#o.outbox.list({ status: 'pending', afterId: after, limit: 1000 });
      for (const row of rows) this.#book.waitFor(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < 1000) break;
      after = last.id;
    }
    this.wake();
  }

  /** Looks for due rows at wall time `at` (default now), sooner than the next poll. */
  wake(at = this.#o.clock.now()): void {
    if (!this.#started || this.#shutdown.signal.aborted) return;
    if (at > this.#o.clock.now()) this.#wakes.add(at);
    this.#arm(at);
  }

  #arm(at: number): void {
    const delay = Math.max(0, at - this.#o.clock.now());
    const when = this.#o.clock.monotonic() + delay;
    if (when >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = when;
    this.#timer = this.#o.clock.setTimer(delay, () => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      void this.#poll();
    });
  }

  /** Takes a reloaded `notifiers:` section; lanes of changed notifiers are rebuilt. */
  apply(notifiers: ReadonlyMap<string, BoundNotifier>): void {
    this.#notifiers = notifiers;
    for (const [id, lane] of this.#lanes)
      if (notifiers.get(id)?.config !== lane.bound.config) this.#lanes.delete(id);
  }

  /** Rows held in memory (claimed, being sent or waiting for an older row). */
  get held(): number {
    return this.#book.size;
  }

  /**
   * Stops: no more polls; sends in flight are abandoned (their rows stay leased to this owner and are
   * recovered at the next start).
   */
  async close(): Promise<void> {
    this.#shutdown.abort(new Error('the delivery worker is closing'));
    this.#timer?.cancel();
    await this.#polling;
    await this.#settling;
    await Promise.all([...this.#lanes.values()].map((l) => l.idle()));
    this.#book.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #poll(): Promise<void> {
    if (this.#polling !== undefined) {
      this.#again = true;
      return this.#polling;
    }
    const claimedAt = this.#o.clock.now();
    this.#polling = this.#claim()
      .catch((error: unknown) => this.#o.onError?.(error))
      .finally(() => {
        this.#polling = undefined;
        if (this.#shutdown.signal.aborted) return;
        const now = this.#o.clock.now();
        // Only what was due when the claim began has been claimed (a timer may fire a little early).
        for (const at of this.#wakes) if (at <= claimedAt) this.#wakes.delete(at);
        if (this.#again) {
          this.#again = false;
          this.#arm(now);
        } else this.#arm(Math.min(now + (this.#o.pollMs ?? 1000), ...this.#wakes));
      });
    return this.#polling;
  }

  async #claim(): Promise<void> {
    const limit = this.#o.claimLimit ?? 1000;
    for (let round = 0; round < 20 && !this.#shutdown.signal.aborted; round++) {
      const rows = await this.#o.outbox.claim({
        owner: this.#owner,
        limit,
        leaseMs: this.#o.leaseMs ?? 600_000,
      });
      const fresh = rows.filter((r) => !this.#book.holds(r.id));
      for (const row of fresh) this.#book.hold(row);
      if (rows.length < limit || fresh.length === 0) break;
    }
    this.#dispatch();
  }

  /** Sends what is ready: rows of one notifier and group as one message, each other row on its own. */
  #dispatch(): void {
    if (this.#shutdown.signal.aborted) return;
    const jobs = new Map<string, { notifierId: string; rows: OutboxEntry[] }>();
    const paused = this.#o.paused;
    const hold = paused === undefined ? undefined : (row: OutboxEntry) => paused(row.notifierId);
    for (const row of this.#book.takeReady(hold)) {
      const payload = row.payload;
      const bound = this.#notifiers.get(row.notifierId);
      if (!isAlertPayload(payload) || bound === undefined) {
        void this.#giveUp(
          row,
          bound === undefined
            ? `notifier "${row.notifierId}" is not in the config any more`
            : 'the stored payload is not an alert',
        );
        continue;
      }
      const key = `${row.notifierId}\u0000${payload.group ?? `#${row.id}`}`;
      const job = jobs.get(key) ?? { notifierId: row.notifierId, rows: [] };
      job.rows.push(row);
      jobs.set(key, job);
    }
    for (const job of jobs.values()) {
      const lane = this.#lane(job.notifierId);
      if (lane === undefined) continue;
      const payloads = job.rows.map((r) => r.payload as AlertPayload);
      const events = payloads.map((p) => p.event).sort((a, b) => a.at - b.at);
      const rule = payloads[0]?.rule ?? 'unknown';
      const message: AlertMessage = { rule, title: titleOf(rule, events), events };
      lane.push(message, (result, durationMs) => this.#report(job.rows, result, durationMs));
    }
  }

  #lane(notifierId: string): Lane | undefined {
    let lane = this.#lanes.get(notifierId);
    const bound = this.#notifiers.get(notifierId);
    if (lane === undefined && bound !== undefined) {
      lane = new Lane(bound, {
        clock: this.#o.clock,
        signal: this.#shutdown.signal,
        ...(this.#o.breaker === undefined ? {} : { breaker: this.#o.breaker }),
      });
      this.#lanes.set(notifierId, lane);
    }
    return lane;
  }

  #report(rows: readonly OutboxEntry[], result: SendResult, durationMs: number): Promise<void> {
    if (this.#shutdown.signal.aborted) return Promise.resolve();
    this.#o.onAttempt?.(rows, result);
    const owner = this.#owner;
    const detail = result.ok
      ? (result.detail ?? 'ok')
      : result.status === undefined
        ? undefined
        : `HTTP ${result.status}`;
    for (const row of rows) {
      if (result.ok) {
        this.#settled.push({
          row,
          retryAt: null,
          settlement: {
            id: row.id,
            outcome: 'delivered',
            owner,
            durationMs,
            detail: detail ?? 'ok',
          },
        });
        continue;
      }
      const retryAt = this.#retryAt(row, result);
      this.#settled.push({
        row,
        retryAt,
        settlement: {
          id: row.id,
          outcome: 'failed',
          owner,
          durationMs,
          error: result.error,
          retryAt,
          ...(detail === undefined ? {} : { detail }),
        },
      });
      if (retryAt === null)
        this.#o.onError?.(new Error(`gave up on alert #${row.id}: ${result.error}`));
    }
    this.#settling ??= this.#settle().finally(() => {
      this.#settling = undefined;
    });
    return this.#settling;
  }

  /** Writes finished attempts, many per transaction, then lets the rows behind them go. */
  async #settle(): Promise<void> {
    while (this.#settled.length > 0) {
      // A commit blocks the event loop (SQLite syncs it to disk): gather what finishes meanwhile.
      // At shutdown, write what finished at once.
      await this.#o.clock
        .sleep(this.#o.settleDelayMs ?? 5, this.#shutdown.signal)
        .catch(() => undefined);
      const batch = this.#settled.splice(0);
      try {
        await this.#o.outbox.settle(batch.map((b) => b.settlement));
      } catch (error) {
        this.#o.onError?.(error);
      }
      for (const b of batch) {
        this.#book.finish(b.row, b.retryAt !== null);
        if (b.retryAt !== null) this.wake(b.retryAt);
      }
      this.#dispatch();
    }
  }

  #retryAt(row: OutboxEntry, result: Extract<SendResult, { ok: false }>): number | null {
    const now = this.#o.clock.now();
    if (!result.retryable || now - row.createdAt >= (this.#o.maxAgeMs ?? 86_400_000)) return null;
    if (result.retryAfterMs !== undefined) return now + result.retryAfterMs;
    const delay = this.#retry.next(row.attempts + 1, {
      previousDelayMs: undefined,
      elapsedMs: now - row.createdAt,
      random: this.#o.random,
    });
    return delay === 'stop' ? null : now + delay;
  }

  async #giveUp(row: OutboxEntry, error: string): Promise<void> {
    try {
      await this.#o.outbox.failed(row.id, { owner: this.#owner, error, retryAt: null });
    } catch (e) {
      this.#o.onError?.(e);
    }
    this.#o.onError?.(new Error(`gave up on alert #${row.id}: ${error}`));
    this.#book.finish(row, false);
    this.#dispatch();
  }
}

/** Creates a {@link DeliveryWorker}; call `start()`. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  return new DeliveryWorker(options);
}
