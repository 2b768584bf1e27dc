import type { Clock, Timer } from '../clock/index.js';
import { ShutdownTimeoutError, isAbortError } from '../errors/index.js';
import {
  SHUTDOWN,
  normalExit,
  shutdownExit,
  type Exit,
  type Task,
  type TaskContext,
} from './task.js';

/** Told when a spawned task becomes ready and when it exits; lets a supervisor avoid a promise per child. */
export interface SpawnObserver<K> {
  onReady(key: K, handle: TaskHandle): void;
  onExit(key: K, handle: TaskHandle, exit: Exit): void;
}

/** Options of {@link spawn}. */
export interface SpawnOptions<K = unknown> {
  readonly id: string;
  readonly clock: Clock;
  /** How long `stop()` waits after aborting before it abandons the task. `Infinity` waits forever. */
  readonly shutdownMs: number;
  readonly observer?: SpawnObserver<K>;
  /** Passed back to the observer. */
  readonly key?: K;
}

/** A running task, as its supervisor sees it. */
export interface TaskHandle {
  readonly id: string;
  /** Resolves `undefined` once the task is ready, or with its exit if it exited first. Never rejects. */
  readonly started: Promise<Exit | undefined>;
  /** Resolves with the task's exit. Never rejects. */
  readonly done: Promise<Exit>;
  /** The exit, once the task has exited. */
  readonly exit: Exit | undefined;
  /** True once the task signalled ready (and has not exited). */
  readonly isReady: boolean;
  /** Aborts the task, then waits up to `shutdownMs` for it; past that the task is abandoned (`killed`). */
  stop(): Promise<Exit>;
}

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The context a spawned task sees; its `signal` is created on first use (see {@link TaskContext.signal}). */
class SpawnContext implements TaskContext {
  constructor(
    readonly id: string,
    readonly clock: Clock,
    readonly owner: SpawnedTask,
  ) {}

  get signal(): AbortSignal {
    return this.owner.signal();
  }

  // Arrow fields, so `const { ready, onStop } = ctx` works.
  readonly ready = (): void => this.owner.markReady();
  readonly onStop = (listener: () => void): (() => void) => this.owner.onStop(listener);
}

class SpawnedTask implements TaskHandle {
  readonly id: string;
  readonly #options: SpawnOptions;
  #started: Deferred<Exit | undefined> | undefined;
  #done: Deferred<Exit> | undefined;
  #exit: Exit | undefined;
  #ready = false;
  #stopReason: unknown;
  #stopping = false;
  #controller: AbortController | undefined;
  #stopListeners: (() => void)[] | undefined;
  #killTimer: Timer | undefined;

  constructor(task: Task, options: SpawnOptions) {
    this.id = options.id;
    this.#options = options;
    const ctx = new SpawnContext(options.id, options.clock, this);
    let running: Promise<unknown>;
    try {
      running = Promise.resolve(task.run(ctx));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => this.#finish(value === SHUTDOWN ? shutdownExit : this.#classify(undefined, false)),
      (error: unknown) => this.#finish(this.#classify(error, true)),
    );
    if (task.waitsForReady !== true) this.markReady();
  }

  get started(): Promise<Exit | undefined> {
    if (this.#started === undefined) {
      this.#started = deferred();
      if (this.#ready) this.#started.resolve(undefined);
      else if (this.#exit !== undefined) this.#started.resolve(this.#exit);
    }
    return this.#started.promise;
  }

  get done(): Promise<Exit> {
    if (this.#done === undefined) {
      this.#done = deferred();
      if (this.#exit !== undefined) this.#done.resolve(this.#exit);
    }
    return this.#done.promise;
  }

  get exit(): Exit | undefined {
    return this.#exit;
  }

  get isReady(): boolean {
    return this.#ready && this.#exit === undefined;
  }

  stop(): Promise<Exit> {
    if (this.#exit !== undefined || this.#stopping) return this.done;
    this.#stopping = true;
    const { shutdownMs, clock } = this.#options;
    if (shutdownMs !== Infinity) {
      this.#killTimer = clock.setTimer(shutdownMs, () =>
        this.#finish({ reason: 'killed', error: new ShutdownTimeoutError(this.id, shutdownMs) }),
      );
    }
    const done = this.done;
    // A DOMException costs ~10 µs to build: only a task that asked for its signal gets one.
    if (this.#controller !== undefined) this.#controller.abort(this.#abortReason());
    const listeners = this.#stopListeners;
    this.#stopListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
    return done;
  }

  signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#stopping) this.#controller.abort(this.#abortReason());
    }
    return this.#controller.signal;
  }

  #abortReason(): unknown {
    return (this.#stopReason ??= new DOMException(`task "${this.id}" is stopping`, 'AbortError'));
  }

  onStop(listener: () => void): () => void {
    if (this.#stopping) {
      listener();
      return () => {};
    }
    (this.#stopListeners ??= []).push(listener);
    return () => {
      const i = this.#stopListeners?.indexOf(listener) ?? -1;
      if (i >= 0) this.#stopListeners?.splice(i, 1);
    };
  }

  markReady(): void {
    if (this.#ready || this.#exit !== undefined) return;
    this.#ready = true;
    this.#started?.resolve(undefined);
    this.#options.observer?.onReady(this.#options.key, this);
  }

  #classify(error: unknown, rejected: boolean): Exit {
    if (this.#stopping) {
      if (!rejected || (error !== undefined && error === this.#stopReason) || isAbortError(error)) {
        return shutdownExit;
      }
      return { reason: 'crashed', error };
    }
    return rejected ? { reason: 'crashed', error } : normalExit;
  }

  #finish(exit: Exit): void {
    if (this.#exit !== undefined) return;
    this.#exit = exit;
    this.#killTimer?.cancel();
    this.#stopListeners = undefined;
    if (!this.#ready) this.#started?.resolve(exit);
    this.#done?.resolve(exit);
    this.#options.observer?.onExit(this.#options.key, this, exit);
  }
}

/**
 * Starts `task` at once and returns its handle. Whatever the task throws or rejects with becomes its exit;
 * nothing escapes as an unhandled rejection.
 */
export function spawn<K>(task: Task, options: SpawnOptions<K>): TaskHandle {
  return new SpawnedTask(task, options);
}
