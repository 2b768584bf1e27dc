import { createBackoff, type Backoff } from '../backoff/index.js';
import type { Timer } from '../clock/index.js';
import { MaxRetriesExceededError } from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { Standalone, type Exit, type Task, type TaskContext } from '../supervision/index.js';
import {
  DEFAULT_RETRY_MS,
  normalizeHealthOptions,
  type NormalizedHealthOptions,
} from './health-options.js';
import type {
  HealthCallbackName,
  HealthCheckerOptions,
  HealthEvents,
  HealthSnapshot,
  HealthStatus,
} from './health-types.js';
import { isThenable } from '../async/index.js';
import type { Link } from './target.js';

/** The state of one run (from `run` until it ends); a restart gets a fresh one. */
interface Run {
  readonly backoff: Backoff;
  link: Link | undefined;
  timer: Timer | undefined;
  ended: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Watches one dependency and tells the application when it goes down, when it comes back, and when it
 * should give up on it ("if the database goes down, try to reconnect; after 10 unsuccessful attempts,
 * switch to a replacement service").
 *
 * It is a supervised {@link Task}: put it in a supervisor (recommended spec:
 * `{ id, task: checker, restart: 'transient' }`) or run it alone with `start()`. Its state machine is
 * driven by socket events and clock timers, not by a mailbox, so thousands of checkers cost little.
 */
export class HealthChecker implements Task {
  readonly id: string;
  /** Ready at once: the first connect happens in the background and never holds up a supervisor. */
  readonly waitsForReady = false;
  readonly #options: NormalizedHealthOptions;
  readonly #events = new Emitter<HealthEvents>();
  #status: HealthStatus = 'stopped';
  #failureCount = 0;
  #retries = 0;
  #attempts = 0;
  #failures = 0;
  #lastError: unknown;
  #since: number;
  #run: Run | undefined;
  readonly #standalone: Standalone;

  constructor(options: HealthCheckerOptions) {
    this.#options = normalizeHealthOptions(options);
    this.id = this.#options.id;
    this.#standalone = new Standalone(this, {
      id: this.id,
      clock: this.#options.clock,
      shutdownMs: 5000,
      label: `HealthChecker "${this.id}"`,
    });
    this.#since = this.#options.clock.now();
  }

  /** What it watches, e.g. `tcp 127.0.0.1:5432`. */
  get target(): string {
    return this.#options.target.description;
  }

  get status(): HealthStatus {
    return this.#status;
  }

  /** A frozen copy of the current state. */
  snapshot(): HealthSnapshot {
    return Object.freeze({
      id: this.id,
      target: this.#options.target.description,
      status: this.#status,
      failureCount: this.#failureCount,
      retries: this.#retries,
      attempts: this.#attempts,
      failures: this.#failures,
      lastError: this.#lastError,
      since: this.#since,
    });
  }

  /** Subscribes to an event; returns the unsubscribe function. Listeners that throw are reported, not fatal. */
  on<K extends keyof HealthEvents>(name: K, listener: Listener<HealthEvents[K]>): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * The task body: connects, watches, retries. Resolves when stopped; with `afterFailure: 'stop'` rejects
   * with a `MaxRetriesExceededError` once it gives up, so its supervisor decides.
   */
  run(ctx: TaskContext): Promise<void> {
    if (this.#run !== undefined) {
      return Promise.reject(new Error(`HealthChecker "${this.id}" is already running`));
    }
    return new Promise<void>((resolve, reject) => {
      const { retry: policy, clock, random } = this.#options;
      const run: Run = {
        backoff: createBackoff(policy, { clock, random }),
        link: undefined,
        timer: undefined,
        ended: false,
        resolve,
        reject,
      };
      this.#run = run;
      this.#failureCount = 0;
      this.#retries = 0;
      this.#lastError = undefined;
      this.#setStatus('connecting');
      ctx.onStop(() => {
        if (this.#end(run)) this.#setStatus('stopped');
        resolve();
      });
      if (!run.ended) this.#attempt(run);
    });
  }

  /** Runs it on its own, outside a supervisor; resolves once it is running. */
  start(): Promise<void> {
    return this.#standalone.start();
  }

  /** Stops a run started with `start()`; resolves with its exit. */
  stop(): Promise<Exit> {
    return this.#standalone.stop();
  }

  /** Same as `stop()`. */
  close(): Promise<Exit> {
    return this.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** The exit of the run started with `start()`. */
  get done(): Promise<Exit> | undefined {
    return this.#standalone.done;
  }

  #attempt(run: Run): void {
    run.timer = undefined;
    this.#attempts++;
    let settled = false;
    run.link = this.#options.target.open({
      up: () => {
        if (settled || run.ended) return;
        settled = true;
        this.#onUp(run);
      },
      failed: (error) => {
        if (settled || run.ended) return;
        settled = true;
        run.link = undefined;
        this.#onAttemptFailed(run, error);
      },
      lost: (error) => {
        if (run.ended) return;
        run.link = undefined;
        this.#onLost(run, error);
      },
    });
  }

  #onUp(run: Run): void {
    run.backoff.succeed();
    this.#failureCount = 0;
    this.#retries = 0;
    this.#lastError = undefined;
    this.#setStatus('up');
    this.#notify('connect', 'onConnect');
  }

  #onLost(run: Run, error: unknown): void {
    this.#lastError = error;
    this.#setStatus('down');
    this.#notify('disconnect', 'onDisconnect');
    if (!run.ended) this.#next(run);
  }

  #onAttemptFailed(run: Run, error: unknown): void {
    this.#failureCount++;
    this.#lastError = error;
    const firstOfRun = this.#status === 'connecting';
    if (firstOfRun) this.#setStatus('down');
    if (this.#events.has('attempt-failed')) this.#events.emit('attempt-failed', this.snapshot());
    if (firstOfRun && !run.ended) this.#notify('disconnect', 'onDisconnect');
    if (!run.ended) this.#next(run);
  }

  /** After a failure: declare failure when the retries are spent, else schedule the next retry. */
  #next(run: Run): void {
    const failed = this.#status === 'failed';
    const decision =
      failed || this.#retries < this.#options.maxRetries ? run.backoff.fail() : 'stop';
    if (!failed && decision === 'stop') {
      this.#declareFailure(run);
      return;
    }
    const delay =
      decision === 'stop' ? (run.backoff.state.previousDelayMs ?? DEFAULT_RETRY_MS) : decision;
    run.timer = this.#options.clock.setTimer(delay, () => {
      if (run.ended) return;
      this.#retries++;
      this.#attempt(run);
    });
  }

  #declareFailure(run: Run): void {
    this.#failures++;
    this.#setStatus('failed');
    this.#notify('failure', 'onFailure');
    if (run.ended) return;
    if (this.#options.afterFailure === 'keep-trying') {
      this.#next(run);
      return;
    }
    const { id, target } = this.#options;
    const error = new MaxRetriesExceededError(
      id,
      target.description,
      this.#retries,
      this.#lastError,
    );
    this.#end(run);
    run.reject(error);
  }

  /** Ends `run` (closing its link, cancelling its timer); false when it had already ended. */
  #end(run: Run): boolean {
    if (run.ended) return false;
    run.ended = true;
    run.timer?.cancel();
    run.link?.close();
    run.link = undefined;
    if (this.#run === run) this.#run = undefined;
    return true;
  }

  #setStatus(status: HealthStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#since = this.#options.clock.now();
  }

  /** Calls the callback and the listeners with one snapshot; never lets either throw into the checker. */
  #notify(event: 'connect' | 'disconnect' | 'failure', name: HealthCallbackName): void {
    const callback = this.#options.callbacks[name];
    if (callback === undefined && !this.#events.has(event)) return;
    const snapshot = this.snapshot();
    if (callback !== undefined) {
      try {
        const result = callback(snapshot);
        if (isThenable(result)) {
          result.then(undefined, (error: unknown) => this.#callbackError(name, error, snapshot));
        }
      } catch (error) {
        this.#callbackError(name, error, snapshot);
      }
    }
    this.#events.emit(event, snapshot);
  }

  #callbackError(callback: HealthCallbackName, error: unknown, snapshot: HealthSnapshot): void {
    if (this.#events.has('callback-error')) {
      this.#events.emit('callback-error', { callback, error, snapshot });
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.emitWarning(`${callback} of health checker "${this.id}" failed: ${detail}`, {
      code: 'VIGIL_HEALTH_CALLBACK_ERROR',
    });
  }
}

/**
 * Creates a {@link HealthChecker} for a TCP endpoint (`port`, optional `host`) or a polled `probe`.
 * Throws `TypeError`/`RangeError` naming any bad option (a missing port, negative retries, a callback
 * that is not a function).
 */
export function createHealthChecker(options: HealthCheckerOptions): HealthChecker {
  return new HealthChecker(options);
}
