import type { Timer } from '../clock/index.js';
import { NotRunningError, TimeoutError } from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import {
  createDynamicSupervisor,
  spawn,
  Standalone,
  type DynamicSupervisor,
  type Exit,
  type Task,
  type TaskContext,
  type TaskHandle,
} from '../supervision/index.js';
import { LazySignal } from './lazy-signal.js';
import {
  normalizePoolOptions,
  providerIds,
  type NormalizedPoolOptions,
} from './provider-pool-options.js';
import type {
  AllowedValue,
  PoolSnapshot,
  ProviderPoolEvents,
  ProviderPoolOptions,
  ProviderRef,
  ProviderState,
  ProviderStatus,
} from './provider-pool-types.js';
import { newEntry, setState, statusOf, type Entry } from './provider-entry.js';
import { ProviderTask, type PoolShared } from './provider-task.js';

/** One run of the pool: its supervisor of provider tasks and its refresh timer. */
interface PoolRun {
  readonly sup: DynamicSupervisor;
  readonly handle: TaskHandle;
  refreshTimer: Timer | undefined;
  refreshing: Promise<void> | undefined;
  stopping: boolean;
}

/**
 * Many providers of one service polled side by side — prices from every franchise of a store, say —
 * each by its own supervised task. Answers go to the allowlist; failures quarantine a provider and
 * retry it on a backoff; `maxAttempts` failures in a row block it until a refresh lists it again or
 * `release(id)` is called. A {@link Task}: put it in a supervisor, or run it alone with `start()`.
 */
export class ProviderPool<P extends ProviderRef, V> implements Task {
  readonly id: string;
  readonly waitsForReady = true;
  readonly kind = 'supervisor' as const;
  readonly defaultShutdownMs = 10_000;
  readonly #options: NormalizedPoolOptions<P, V>;
  readonly #events = new Emitter<ProviderPoolEvents<V>>();
  readonly #shared: PoolShared<P, V>;
  readonly #entries = new Map<string, Entry<P, V>>();
  #run: PoolRun | undefined;
  readonly #standalone: Standalone;

  constructor(options: ProviderPoolOptions<P, V>) {
    this.#options = normalizePoolOptions(options);
    this.id = this.#options.id;
    this.#standalone = new Standalone(this, {
      id: this.id,
      clock: this.#options.clock,
      shutdownMs: 10_000,
      label: `ProviderPool "${this.id}"`,
    });
    this.#shared = { options: this.#options, events: this.#events };
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ProviderPoolEvents<V>>(
    name: K,
    listener: Listener<ProviderPoolEvents<V>[K]>,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /** The allowlist: every provider whose last poll succeeded, with its value. */
  values(): AllowedValue<V>[] {
    const out: AllowedValue<V>[] = [];
    for (const e of this.#entries.values()) {
      if (e.state === 'allowed') {
        out.push({ id: e.id, value: e.value as V, updatedAt: e.updatedAt ?? e.since });
      }
    }
    return out;
  }

  /** The best `n` allowed values, ordered by `compare` on the values (e.g. `(a, b) => a - b`: lowest first). */
  leaderboard(compare: (a: V, b: V) => number, n = 10): AllowedValue<V>[] {
    if (typeof compare !== 'function')
      throw new TypeError('leaderboard: compare must be a function');
    if (!(n >= 0)) throw new RangeError(`leaderboard: n must be >= 0, got ${n}`);
    return this.values()
      .sort((a, b) => compare(a.value, b.value))
      .slice(0, n);
  }

  /** One provider's state, or `undefined` when it is not in the list. */
  status(id: string): ProviderStatus<P, V> | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : statusOf(entry, this.#options.clock);
  }

  /** Every provider, grouped by state. */
  snapshot(): PoolSnapshot<P, V> {
    const groups: Record<ProviderState, ProviderStatus<P, V>[]> = {
      pending: [],
      allowed: [],
      quarantined: [],
      blocked: [],
    };
    for (const entry of this.#entries.values())
      groups[entry.state].push(statusOf(entry, this.#options.clock));
    return groups;
  }

  /** Gives a blocked provider another chance: it is polled at once. False when it is not blocked. */
  release(id: string): boolean {
    return this.#release(id, 'release');
  }

  /**
   * Reloads the provider list now (a discovery function is also called every `refreshMs`): new providers
   * start polling, removed ones stop, blocked ones still listed are released. Rejects with `NOT_RUNNING`
   * when the pool is not running; a discovery error emits `refresh-failed` and keeps the current list.
   */
  refresh(): Promise<void> {
    const run = this.#run;
    if (run === undefined || run.stopping) {
      return Promise.reject(new NotRunningError(this.id, 'start the pool before refreshing it'));
    }
    run.refreshing ??= this.#refresh(run).finally(() => (run.refreshing = undefined));
    return run.refreshing;
  }

  run(ctx: TaskContext): Promise<void> {
    if (this.#run !== undefined) {
      return Promise.reject(new Error(`ProviderPool "${this.id}" is already running`));
    }
    const { clock } = this.#options;
    const sup = createDynamicSupervisor({ id: `${this.id}/providers`, clock });
    const handle = spawn(sup, { id: sup.id, clock, shutdownMs: Infinity });
    const run: PoolRun = {
      sup,
      handle,
      refreshTimer: undefined,
      refreshing: undefined,
      stopping: false,
    };
    this.#run = run;
    this.#entries.clear();
    ctx.onStop(() => {
      run.stopping = true;
      run.refreshTimer?.cancel();
      void handle.stop();
    });
    void handle.started.then((exit) => {
      if (exit !== undefined || run.stopping) return;
      if (Array.isArray(this.#options.providers)) this.#apply(run, this.#options.providers);
      else this.#refreshNow(run);
      ctx.ready();
    });
    return handle.done.then((exit) => {
      this.#run = undefined;
      run.refreshTimer?.cancel();
      if (run.stopping) return;
      throw exit.error instanceof Error
        ? exit.error
        : new Error(`${sup.id} exited (${exit.reason})`);
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

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** The exit of the run started with `start()`. */
  get done(): Promise<Exit> | undefined {
    return this.#standalone.done;
  }

  /** Refreshes now, then again every `refreshMs` after each refresh ends. */
  #refreshNow(run: PoolRun): void {
    run.refreshTimer = undefined;
    if (run.stopping) return;
    void this.refresh()
      .catch(() => undefined) // reported as refresh-failed
      .finally(() => {
        if (run.stopping) return;
        run.refreshTimer = this.#options.clock.setTimer(this.#options.refreshMs, () =>
          this.#refreshNow(run),
        );
      });
  }

  async #refresh(run: PoolRun): Promise<void> {
    const source = this.#options.providers;
    if (Array.isArray(source)) {
      this.#apply(run, source);
      return;
    }
    const { clock, refreshMs } = this.#options;
    const lazy = new LazySignal();
    let timer: Timer | undefined;
    try {
      const list = await Promise.race([
        Promise.resolve().then(() => (source as Exclude<typeof source, readonly P[]>)(lazy)),
        new Promise<never>((_, reject) => {
          timer = clock.setTimer(refreshMs, () => {
            const error = new TimeoutError(
              `discovery of "${this.id}" took longer than ${refreshMs} ms`,
              refreshMs,
            );
            lazy.abort(error);
            reject(error);
          });
        }),
      ]);
      if (!Array.isArray(list))
        throw new TypeError(`discovery of "${this.id}" must return an array`);
      if (!run.stopping) this.#apply(run, list as readonly P[]);
    } catch (error) {
      this.#events.emit('refresh-failed', { error });
    } finally {
      timer?.cancel();
    }
  }

  /** Makes the pool's providers `list`: adds, removes, and releases the blocked ones still listed. */
  #apply(run: PoolRun, list: readonly P[]): void {
    const ids = providerIds(`ProviderPool "${this.id}"`, list);
    const listed = new Set(ids);
    let added = 0;
    let removed = 0;
    for (const [id, entry] of this.#entries) {
      if (listed.has(id)) continue;
      this.#entries.delete(id);
      void run.sup.terminateChild(id);
      removed++;
      this.#events.emit('removed', { id: entry.id });
    }
    list.forEach((provider, i) => {
      const id = ids[i] as string;
      const entry = this.#entries.get(id);
      if (entry === undefined) {
        this.#add(run, id, provider);
        added++;
        return;
      }
      entry.provider = provider;
      this.#release(id, 'refresh');
    });
    this.#events.emit('refreshed', { added, removed, total: this.#entries.size });
  }

  #add(run: PoolRun, id: string, provider: P): void {
    const entry = newEntry<P, V>(id, provider, this.#options);
    this.#entries.set(id, entry);
    this.#events.emit('added', { id });
    const task = new ProviderTask(entry, this.#shared);
    run.sup.startChild({ id, task, shutdownMs: 1000 }).catch(() => undefined); // only fails while stopping
  }

  #release(id: string, by: 'release' | 'refresh'): boolean {
    const entry = this.#entries.get(id);
    if (entry?.state !== 'blocked') return false;
    entry.attempts = 0;
    entry.backoff.succeed();
    setState(entry, 'pending', this.#options.clock.now());
    this.#events.emit('released', { id, by });
    const wake = entry.wake;
    entry.wake = undefined;
    wake?.();
    return true;
  }
}

/**
 * Creates a {@link ProviderPool}. Throws `TypeError`/`RangeError` naming any bad option (no poll
 * function, duplicate provider ids, a period that is not a positive number of ms).
 */
export function createProviderPool<P extends ProviderRef, V>(
  options: ProviderPoolOptions<P, V>,
): ProviderPool<P, V> {
  return new ProviderPool(options);
}
