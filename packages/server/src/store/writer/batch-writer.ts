import {
  Deque,
  createBackoff,
  exponential,
  type Backoff,
  type BackoffPolicy,
  type Clock,
  type Timer,
} from '@vigil/resilience';
import { StoreClosedError } from '../errors/index.js';
import { encodeDetails, encodeOutcome, encodePhases, toMicros, truncate } from '../model/codec.js';
import type { OutboxIntent } from '../outbox-types.js';
import type { RecordedChange } from '../store.js';
import type { ChangeEvent, CheckedEvent, StoreMetrics } from '../types.js';
import {
  addToRollups,
  mergeAgg,
  rollupKey,
  type Batch,
  type ChangeItem,
  type JournalItem,
  type Observation,
  type PendingState,
  type RawRow,
  type RollupAgg,
} from './batch.js';

/** A change-driven write waits until this many times the last write's duration after that write began. */
const PACING = 10;

/** How many batches one transaction may carry while the writer catches up with a backlog. */
const CATCH_UP_FACTOR = 10;

/** Options of {@link BatchWriter}. */
export interface BatchWriterOptions {
  readonly clock: Clock;
  /** Writes one batch in one transaction; resolves with a receipt per change, in journal order. */
  readonly write: (batch: Batch) => Promise<RecordedChange[]>;
  /** The silence after which a monitor's results count as a gap, ms. */
  readonly gapMs: (monitor: string) => number;
  /** Flush at least this often while anything is buffered, ms. Default 1,000. */
  readonly flushIntervalMs?: number;
  /**
   * Flush as soon as this many results are buffered, and write this many per transaction — up to ten
   * times as many while a backlog of two batches or more is waiting. Default 1,000.
   */
  readonly batchSize?: number;
  /** Raw results kept while the database is behind; past it they are shed. Default 100,000. */
  readonly bufferSize?: number;
  /** Delays between failed flushes. Default exponential 250 ms → 30 s. */
  readonly retry?: BackoffPolicy;
  /** How long `close()` keeps trying to flush, ms. Default 10,000. */
  readonly closeTimeoutMs?: number;
  /** Told about every failed flush (the data stays buffered and is retried). */
  readonly onError?: (error: unknown) => void;
  /** Continues the sequence that orders persisted states (the largest `seq` in the database). */
  readonly startSeq?: number;
}

/**
 * The store's single writer: buffers results, folds them into rollup, observation and state accumulators,
 * and writes everything in one transaction at a time — every second, at 1,000 results, or at once when a
 * state change is waiting. "At once" is paced by what writes cost: after a write that took w ms, the next
 * change waits until 10 × w after that write began, so that changes close together share a transaction
 * (group commit). A SQLite commit syncs the disk on the event loop; one transaction per change would block
 * the loop for a minute when 10,000 monitors come up at start. Free writes (a fake clock) are never delayed. A failed write is retried on a backoff with nothing lost but raw results that
 * no longer fit the buffer.
 */
export class BatchWriter {
  readonly #o: Required<Omit<BatchWriterOptions, 'onError' | 'startSeq'>> &
    Pick<BatchWriterOptions, 'onError'>;
  readonly #results = new Deque<RawRow>(1024);
  #rollups = new Map<string, RollupAgg>();
  #journal: JournalItem[] = [];
  #observations = new Map<string, Observation>();
  #states = new Map<string, PendingState>();
  #seq: number;
  #timer: Timer | undefined;
  #timerAt = Infinity;
  /** When the last write began and how long it took, ms (monotonic): paces change-driven writes. */
  #lastWrite = { at: -Infinity, ms: 0 };
  /** Writes run one at a time, in call order. */
  #tail: Promise<void> = Promise.resolve();
  #looping = false;
  #closed = false;
  readonly #backoff: Backoff;
  #failing = false;
  readonly #m = {
    writtenResults: 0,
    shedResults: 0,
    flushes: 0,
    failedFlushes: 0,
    lastFlushMs: 0,
    lastError: null as Error | null,
  };

  constructor(options: BatchWriterOptions) {
    const batchSize = options.batchSize ?? 1000;
    const bufferSize = options.bufferSize ?? 100_000;
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    if (!(Number.isInteger(bufferSize) && bufferSize >= batchSize))
      throw new RangeError(
        `bufferSize must be an integer ≥ batchSize (${batchSize}), got ${bufferSize}`,
      );
    this.#o = {
      flushIntervalMs: 1000,
      retry: exponential({ initialMs: 250, maxMs: 30_000 }),
      closeTimeoutMs: 10_000,
      ...options,
      batchSize,
      bufferSize,
    };
    this.#seq = options.startSeq ?? 0;
    this.#backoff = createBackoff(this.#o.retry, { clock: options.clock });
  }

  /** Buffers one check result. Never throws. */
  onChecked(event: CheckedEvent): void {
    if (this.#closed) {
      this.#m.shedResults++;
      return;
    }
    const r = event.result;
    const monitor = event.monitorId;
    const outcome = encodeOutcome(r.outcome);
    const latencyUs = toMicros(r.latencyMs);
    this.#keepState(monitor, event.state);
    addToRollups(this.#rollups, monitor, r.startedAt, outcome, latencyUs);
    this.#observe(monitor, r.startedAt, event);
    if (this.#results.size >= this.#o.bufferSize) this.#m.shedResults++;
    else {
      this.#results.push({
        monitor,
        ts: r.startedAt,
        outcome,
        latencyUs,
        message: truncate(r.message),
        details: encodeDetails(r.details),
        value: r.value ?? null,
        phases: encodePhases(r.phases),
      });
    }
    if (this.#results.size >= this.#o.batchSize) this.#kick();
    else if (!this.#failing) this.#arm(this.#o.flushIntervalMs);
  }

  /** Queues a state change with its alert intents; resolves once written. */
  recordChange(event: ChangeEvent, intents: readonly OutboxIntent[]): Promise<RecordedChange> {
    if (this.#closed) return Promise.reject(new StoreClosedError('the store is closed'));
    this.#seal(event.monitorId);
    const seq = ++this.#seq;
    const gapMs = this.#o.gapMs(event.monitorId);
    return new Promise<RecordedChange>((resolve, reject) => {
      const item: ChangeItem = { kind: 'change', seq, event, intents, gapMs, resolve, reject };
      this.#journal.push(item);
      this.#kickForChange();
    });
  }

  /** Resolves when everything buffered before the call is written; rejects with the write's error. */
  async flush(): Promise<void> {
    await this.#tail;
    while (this.#hasWork()) await this.#flushOnce();
  }

  /**
   * Stops taking results and writes what is buffered, retrying on the backoff for up to the close
   * timeout; then gives up: waiting changes reject with a `StoreClosedError`, results left are counted shed.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimer();
    const deadline = this.#o.clock.monotonic() + this.#o.closeTimeoutMs;
    await this.#tail;
    while (this.#hasWork()) {
      try {
        await this.#flushOnce();
      } catch (error) {
        const delay = this.#backoff.fail();
        const left = deadline - this.#o.clock.monotonic();
        if (delay === 'stop' || left <= 0) {
          this.#abandon(error);
          return;
        }
        await this.#o.clock.sleep(Math.min(delay, left));
      }
    }
  }

  metrics(): StoreMetrics {
    return {
      ...this.#m,
      bufferedResults: this.#results.size,
      pendingChanges: this.#journal.filter((i) => i.kind === 'change').length,
    };
  }

  #keepState(monitor: string, state: CheckedEvent['state']): void {
    this.#states.set(monitor, { monitor, seq: ++this.#seq, state, at: this.#o.clock.now() });
  }

  #observe(monitor: string, ts: number, event: CheckedEvent): void {
    const status = event.state.status;
    const reason = event.state.reason;
    let obs = this.#observations.get(monitor);
    if (obs !== undefined && ts - obs.last > obs.gapMs) {
      this.#seal(monitor);
      obs = undefined;
    }
    if (obs === undefined) {
      const gapMs = this.#o.gapMs(monitor);
      this.#observations.set(monitor, {
        kind: 'observe',
        monitor,
        status,
        reason,
        first: ts,
        last: ts,
        gapMs,
      });
      return;
    }
    obs.first = Math.min(obs.first, ts);
    if (ts >= obs.last) {
      obs.last = ts;
      obs.status = status;
      obs.reason = reason;
    }
  }

  /** Moves a monitor's open observation into the journal, so it is applied before what follows. */
  #seal(monitor: string): void {
    const obs = this.#observations.get(monitor);
    if (obs === undefined) return;
    this.#observations.delete(monitor);
    this.#journal.push(obs);
  }

  #hasWork(): boolean {
    return (
      this.#results.size > 0 ||
      this.#journal.length > 0 ||
      this.#rollups.size > 0 ||
      this.#states.size > 0 ||
      this.#observations.size > 0
    );
  }

  /** Flushes soon, without waiting for the clock (a change is waiting or a batch is full). */
  #kick(): void {
    if (this.#looping || this.#failing || this.#closed) return;
    this.#cancelTimer();
    void Promise.resolve().then(() => this.#loop());
  }

  /** A change is waiting: write at once, or when the last write's pacing allows (see the class doc). */
  #kickForChange(): void {
    const { at, ms } = this.#lastWrite;
    const wait = Math.min(at + ms * PACING - this.#o.clock.monotonic(), this.#o.flushIntervalMs);
    if (wait <= 0) this.#kick();
    else if (!this.#failing) this.#arm(wait);
  }

  #arm(delayMs: number): void {
    if (this.#closed || this.#looping) return;
    const at = this.#o.clock.monotonic() + delayMs;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    this.#cancelTimer();
    this.#timerAt = at;
    this.#timer = this.#o.clock.setTimer(delayMs, () => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      void this.#loop();
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  async #loop(): Promise<void> {
    if (this.#looping || this.#closed) return;
    this.#looping = true;
    try {
      while (this.#hasWork()) {
        await this.#flushOnce();
        if (this.#results.size < this.#o.batchSize && this.#journal.length === 0) break;
      }
      this.#looping = false;
      this.#failing = false;
      this.#backoff.succeed();
      if (this.#hasWork()) this.#arm(this.#o.flushIntervalMs);
    } catch {
      this.#looping = false;
      this.#failing = true;
      const delay = this.#backoff.fail();
      this.#arm(delay === 'stop' ? this.#o.flushIntervalMs : delay);
    }
  }

  #flushOnce(): Promise<void> {
    const run = this.#tail.then(() => this.#write());
    this.#tail = run.catch(() => {});
    return run;
  }

  async #write(): Promise<void> {
    if (!this.#hasWork()) return;
    const batch = this.#take();
    const started = this.#o.clock.monotonic();
    let receipts: RecordedChange[];
    try {
      receipts = await this.#o.write(batch);
    } catch (error) {
      this.#putBack(batch);
      this.#m.failedFlushes++;
      this.#m.lastError = error instanceof Error ? error : new Error(String(error));
      this.#o.onError?.(error);
      throw error;
    }
    this.#m.flushes++;
    this.#m.writtenResults += batch.results.length;
    this.#m.lastFlushMs = this.#o.clock.monotonic() - started;
    this.#lastWrite = { at: started, ms: this.#m.lastFlushMs };
    this.#m.lastError = null;
    let i = 0;
    for (const item of batch.journal) {
      if (item.kind === 'change') item.resolve(receipts[i++] as RecordedChange);
    }
  }

  #take(): Batch {
    const results: RawRow[] = [];
    // Behind by several batches: catch up in larger transactions. Results are clustered by monitor, so
    // a transaction rewrites one page per monitor however many of its rows it carries.
    const size = this.#o.batchSize;
    const take = this.#results.size >= 2 * size ? size * CATCH_UP_FACTOR : size;
    for (let n = 0; n < take && this.#results.size > 0; n++)
      results.push(this.#results.shift() as RawRow);
    const batch: Batch = {
      results,
      rollups: [...this.#rollups.values()],
      journal: this.#journal,
      observations: [...this.#observations.values()],
      states: [...this.#states.values()],
      now: this.#o.clock.now(),
    };
    this.#rollups = new Map();
    this.#journal = [];
    this.#observations = new Map();
    this.#states = new Map();
    return batch;
  }

  /** Returns a failed batch to the buffers, ahead of what arrived meanwhile. */
  #putBack(batch: Batch): void {
    for (let i = batch.results.length - 1; i >= 0; i--) {
      if (this.#results.size >= this.#o.bufferSize) {
        this.#m.shedResults += i + 1;
        break;
      }
      this.#results.unshift(batch.results[i] as RawRow);
    }
    for (const agg of batch.rollups) {
      const have = this.#rollups.get(rollupKey(agg));
      if (have === undefined) this.#rollups.set(rollupKey(agg), agg);
      else mergeAgg(have, agg);
    }
    // The batch's open observations came after its journal and before anything newer.
    this.#journal = [...batch.journal, ...batch.observations, ...this.#journal];
    for (const s of batch.states) {
      const have = this.#states.get(s.monitor);
      if (have === undefined || have.seq < s.seq) this.#states.set(s.monitor, s);
    }
  }

  #abandon(error: unknown): void {
    const reason = new StoreClosedError(
      'the store closed before this change could be written: the database kept failing',
      { cause: error },
    );
    for (const item of this.#journal) if (item.kind === 'change') item.reject(reason);
    this.#m.shedResults += this.#results.size;
    this.#results.drain();
    this.#journal = [];
    this.#rollups.clear();
    this.#observations.clear();
    this.#states.clear();
  }
}
