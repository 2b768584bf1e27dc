import type { Timer } from '../../clock/index.js';
import { Deque } from '../../collections/index.js';
import { AcquireTimeoutError, PoolClosedError } from '../../errors/index.js';
import { Emitter, type Listener } from '../../events/index.js';
import { IdleList } from './idle-list.js';
import { resolvePoolOptions, type PoolOptions, type ResolvedPoolOptions } from './options.js';

/** Options of {@link Pool.acquire} and {@link Pool.use}. */
export interface AcquireOptions {
  /** Overrides the pool's `acquireTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Aborting gives up waiting (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** Counts of a pool. */
export interface PoolStats {
  /** Resources that exist: idle + borrowed. */
  readonly size: number;
  readonly idle: number;
  readonly borrowed: number;
  /** `acquire` calls waiting. */
  readonly pending: number;
  /** Resources being created. */
  readonly creating: number;
}

/** Events of a pool. */
export interface PoolEvents {
  /** `create`, `destroy` or `validate` failed (the pool carries on). */
  error: { readonly error: unknown; readonly during: 'create' | 'destroy' | 'validate' };
}

interface Waiter<T> {
  resolve: (resource: T) => void;
  reject: (error: unknown) => void;
  done: boolean;
  timer: Timer | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A pool of reusable resources (connections, usually): at most `max`, at least `min`, lent to waiters in
 * FIFO order, validated on borrow, and evicted after `idleTimeoutMs` idle (on the clock). Prefer
 * {@link Pool.use}, which always gives the resource back.
 */
export class Pool<T> implements AsyncDisposable {
  readonly id: string;
  readonly #o: ResolvedPoolOptions<T>;
  readonly #events = new Emitter<PoolEvents>();
  readonly #idle: IdleList<T>;
  readonly #borrowed = new Set<T>();
  readonly #waiters = new Deque<Waiter<T>>();
  #pending = 0;
  #creating = 0;
  #validating = 0;
  #destroying = 0;
  #closing: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: PoolOptions<T>) {
    this.#o = resolvePoolOptions(options);
    this.id = this.#o.id;
    const canEvict = (): boolean => this.#idle.length + this.#borrowed.size > this.#o.min;
    const evict = (resource: T): void => this.#dispose(resource);
    this.#idle = new IdleList(this.#o.clock, this.#o.idleTimeoutMs, canEvict, evict);
    this.#fill();
  }

  get stats(): PoolStats {
    const idle = this.#idle.length;
    const borrowed = this.#borrowed.size;
    return {
      size: idle + borrowed,
      idle,
      borrowed,
      pending: this.#pending,
      creating: this.#creating,
    };
  }

  on<K extends keyof PoolEvents>(name: K, listener: Listener<PoolEvents[K]>): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Borrows a resource: an idle one (validated), a new one when below `max`, or the next one released,
   * first come first served. Rejects with `ACQUIRE_TIMEOUT`, `POOL_CLOSED`, the error `create` threw, or
   * the signal's reason. Give it back with `release` (or `destroy` it).
   */
  acquire(options: AcquireOptions = {}): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(new PoolClosedError(this.id));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const timeoutMs = options.timeoutMs ?? this.#o.acquireTimeoutMs;
    if (!(timeoutMs > 0))
      throw new RangeError(`Pool "${this.id}".acquire: timeoutMs must be > 0, got ${timeoutMs}`);
    const waiter: Waiter<T> = {
      resolve: noop,
      reject: noop,
      done: false,
      timer: undefined,
      signal,
      onAbort: undefined,
    };
    const promise = new Promise<T>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    if (timeoutMs !== Infinity) {
      waiter.timer = this.#o.clock.setTimer(timeoutMs, () =>
        this.#settle(waiter, new AcquireTimeoutError(this.id, timeoutMs, this.#borrowed.size)),
      );
    }
    if (signal !== undefined) {
      waiter.onAbort = () => this.#settle(waiter, signal.reason);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    this.#waiters.push(waiter);
    this.#pending++;
    this.#dispatch();
    return promise;
  }

  /** Gives a borrowed resource back. Throws `TypeError` for one this pool did not lend (or already got back). */
  release(resource: T): void {
    this.#take(resource, 'release');
    if (this.#closing !== undefined && this.#pending === 0) {
      this.#dispose(resource);
    } else {
      this.#idle.push(resource);
      this.#dispatch();
    }
    this.#maybeFinish();
  }

  /** Destroys a borrowed resource instead of giving it back (it is broken); a replacement is made as needed. */
  destroy(resource: T): void {
    this.#take(resource, 'destroy');
    this.#dispose(resource);
    this.#fill();
    this.#dispatch();
    this.#maybeFinish();
  }

  /**
   * Borrows a resource, runs `fn` with it and gives it back, whatever happens. When `fn` throws an error
   * `isFatal` accepts (a lost connection, by default), the resource is destroyed instead.
   */
  async use<R>(fn: (resource: T) => R | Promise<R>, options?: AcquireOptions): Promise<R> {
    const resource = await this.acquire(options);
    let result: R;
    try {
      result = await fn(resource);
    } catch (error) {
      if (this.#o.isFatal(error)) this.destroy(resource);
      else this.release(resource);
      throw error;
    }
    this.release(resource);
    return result;
  }

  /**
   * Lends no more (new `acquire` calls fail with `POOL_CLOSED`) but still serves the waiters already
   * queued; resolves once every resource is back and destroyed.
   */
  drain(): Promise<void> {
    if (this.#closing === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#closing = { promise, resolve };
      this.#maybeFinish();
    }
    return this.#closing.promise;
  }

  /** Like {@link drain}, but waiters still queued fail at once with `POOL_CLOSED`. */
  close(): Promise<void> {
    const done = this.drain();
    for (const waiter of this.#waiters.drain()) this.#settle(waiter, new PoolClosedError(this.id));
    this.#maybeFinish();
    return done;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #take(resource: T, verb: string): void {
    if (!this.#borrowed.delete(resource)) {
      throw new TypeError(
        `Pool "${this.id}".${verb}: that resource is not borrowed from this pool`,
      );
    }
  }

  #settle(waiter: Waiter<T>, error: unknown, resource?: T): void {
    if (waiter.done) return;
    waiter.done = true;
    this.#pending--;
    waiter.timer?.cancel();
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    if (error === undefined) waiter.resolve(resource as T);
    else waiter.reject(error);
    this.#maybeFinish();
  }

  #nextWaiter(): Waiter<T> | undefined {
    for (;;) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined || !waiter.done) return waiter;
    }
  }

  /** Hands idle resources to waiters in order; starts creating for those left, up to `max`. */
  #dispatch(): void {
    while (this.#pending > 0 && this.#idle.length > 0) {
      const waiter = this.#nextWaiter();
      if (waiter === undefined) break;
      const resource = this.#idle.pop() as T;
      this.#borrowed.add(resource);
      this.#lend(resource, waiter);
    }
    const size = this.#idle.length + this.#borrowed.size;
    const unserved = this.#pending - this.#validating - this.#creating;
    let missing = Math.min(unserved, this.#o.max - size - this.#creating);
    while (missing-- > 0) this.#create();
  }

  #lend(resource: T, waiter: Waiter<T>): void {
    const { validate } = this.#o;
    if (validate === undefined) {
      this.#hand(resource, waiter);
      return;
    }
    this.#validating++;
    void Promise.resolve()
      .then(() => validate(resource))
      .then(
        (ok) => ok,
        (error: unknown) => {
          this.#events.emit('error', { error, during: 'validate' });
          return false;
        },
      )
      .then((ok) => {
        this.#validating--;
        if (ok) {
          this.#hand(resource, waiter);
          return;
        }
        this.#borrowed.delete(resource);
        this.#dispose(resource);
        if (!waiter.done) this.#waiters.unshift(waiter);
        this.#fill();
        this.#dispatch();
        this.#maybeFinish();
      });
  }

  /** Gives `resource` (already counted as borrowed) to `waiter`, or back to the pool if it gave up. */
  #hand(resource: T, waiter: Waiter<T>): void {
    if (waiter.done) this.release(resource);
    else this.#settle(waiter, undefined, resource);
  }

  #create(): void {
    this.#creating++;
    void Promise.resolve()
      .then(() => this.#o.create())
      .then(
        (resource) => {
          this.#creating--;
          // A fresh resource goes straight to the oldest waiter, unvalidated; else it waits idle.
          const waiter = this.#nextWaiter();
          if (waiter === undefined) {
            this.#idle.push(resource);
          } else {
            this.#borrowed.add(resource);
            this.#hand(resource, waiter);
          }
          this.#maybeFinish();
        },
        (error: unknown) => {
          this.#creating--;
          this.#events.emit('error', { error, during: 'create' });
          const waiter = this.#nextWaiter();
          if (waiter !== undefined) this.#settle(waiter, error);
          this.#maybeFinish();
        },
      );
  }

  /** Creates resources up to `min`. */
  #fill(): void {
    if (this.#closing !== undefined) return;
    const size = this.#idle.length + this.#borrowed.size + this.#creating;
    for (let i = size; i < this.#o.min; i++) this.#create();
  }

  #dispose(resource: T): void {
    this.#destroying++;
    void Promise.resolve()
      .then(() => this.#o.destroy(resource))
      .catch((error: unknown) => this.#events.emit('error', { error, during: 'destroy' }))
      .finally(() => {
        this.#destroying--;
        this.#maybeFinish();
      });
  }

  #maybeFinish(): void {
    const closing = this.#closing;
    if (
      closing === undefined ||
      this.#pending > 0 ||
      this.#borrowed.size > 0 ||
      this.#creating > 0
    ) {
      return;
    }
    for (const resource of this.#idle.takeAll()) this.#dispose(resource);
    if (this.#destroying === 0) closing.resolve();
  }
}

function noop(): void {}

/** Creates a {@link Pool}; it starts creating `min` resources at once. */
export function createPool<T>(options: PoolOptions<T>): Pool<T> {
  return new Pool(options);
}
