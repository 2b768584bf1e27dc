import { systemClock, type Clock } from '../clock/index.js';
import {
  AlreadyStartedError,
  MaxChildrenError,
  NotRunningError,
  RestartIntensityError,
  StartFailedError,
} from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { needsRestart, normalizeChildSpec, type ChildSpec } from './child-spec.js';
import type { ChildCounts, ChildInfo, SupervisorEvents } from './events.js';
import { RestartWindow, intensityOptions } from './intensity.js';
import { RootRunner } from './root.js';
import { spawn, type SpawnObserver, type TaskHandle } from './spawn.js';
import { childInfo, type ChildRecord } from './supervisor-run.js';
import type { Exit, Task, TaskContext } from './task.js';

/** Options of {@link createDynamicSupervisor}. */
export interface DynamicSupervisorOptions {
  /** Names the supervisor in events and errors. Default `dynamic-supervisor`. */
  readonly id?: string;
  /** Restarts allowed within `periodMs`, counted over all children, before giving up. Default 3. */
  readonly intensity?: number;
  /** Default 5,000 ms. */
  readonly periodMs?: number;
  /** `startChild` fails with `MAX_CHILDREN` past this. Default unlimited. */
  readonly maxChildren?: number;
  readonly clock?: Clock;
}

/**
 * A child spec for {@link DynamicSupervisor.startChild}. With `intensity` (and optionally `periodMs`) the
 * child has a restart limit of its own: its restarts count in its own window, not the supervisor's, and past
 * it only this child is given up (`child-gave-up`) while the supervisor and its other children run on.
 * Cheaper than a supervisor of its own per child when there are many.
 */
export interface DynamicChildSpec extends Omit<ChildSpec, 'id'> {
  /** Without one, an id is generated. */
  readonly id?: string;
  /** Restarts of this child allowed within `periodMs` before it alone is given up. */
  readonly intensity?: number;
  /** The window of this child's `intensity`, ms. Default 5,000. */
  readonly periodMs?: number;
}

/** A child with a restart limit of its own; the window is made at its first restart. */
interface DynamicRecord extends ChildRecord {
  readonly limit: { readonly intensity: number; readonly periodMs: number } | undefined;
  window: RestartWindow | undefined;
}

interface Active {
  readonly window: RestartWindow;
  stopping: boolean;
  finish(error?: unknown): void;
}

/**
 * A supervisor of children started and terminated at runtime (OTP's DynamicSupervisor): one_for_one,
 * children stopped concurrently on shutdown, temporary and cleanly exited transient children forgotten.
 */
export class DynamicSupervisor implements Task {
  readonly id: string;
  readonly waitsForReady = true;
  readonly defaultShutdownMs = Infinity;
  readonly kind = 'supervisor' as const;
  readonly #intensity: number;
  readonly #periodMs: number;
  readonly #maxChildren: number;
  readonly #clock: Clock;
  readonly #children = new Map<string, DynamicRecord>();
  readonly #events = new Emitter<SupervisorEvents>();
  readonly #root: RootRunner;
  #active: Active | undefined;
  #nextId = 1;

  constructor(options: DynamicSupervisorOptions = {}) {
    this.id = options.id ?? 'dynamic-supervisor';
    const where = `DynamicSupervisor "${this.id}"`;
    ({ intensity: this.#intensity, periodMs: this.#periodMs } = intensityOptions(
      where,
      options.intensity,
      options.periodMs,
    ));
    const max = options.maxChildren ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max >= 0))) {
      throw new RangeError(`${where}: maxChildren must be an integer >= 0, got ${String(max)}`);
    }
    this.#maxChildren = max;
    this.#clock = options.clock ?? systemClock;
    this.#root = new RootRunner(this, this.id, this.#clock, Infinity);
  }

  on<K extends keyof SupervisorEvents>(
    name: K,
    listener: Listener<SupervisorEvents[K]>,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Starts a child and resolves with its id once it is ready. Rejects with `NOT_RUNNING`, `MAX_CHILDREN`,
   * `ALREADY_STARTED`, or `START_FAILED` when the child exits before it is ready (it is then forgotten).
   * Without an `id`, one is generated.
   */
  async startChild(spec: DynamicChildSpec): Promise<string> {
    const active = this.#active;
    if (active === undefined || active.stopping) {
      throw new NotRunningError(this.id, 'start the supervisor before starting children');
    }
    const id = spec.id ?? `child-${this.#nextId++}`;
    const where = (): string => `DynamicSupervisor "${this.id}": startChild`;
    const normalized = normalizeChildSpec({ ...spec, id }, where);
    const limit =
      spec.intensity === undefined && spec.periodMs === undefined
        ? undefined
        : intensityOptions(`${where()} (child "${id}")`, spec.intensity, spec.periodMs);
    if (this.#children.has(id)) throw new AlreadyStartedError(this.id, id);
    if (this.#children.size >= this.#maxChildren)
      throw new MaxChildrenError(this.id, this.#maxChildren);
    // A literal, not `{ ...newRecord(), … }`: V8 gives such a copy a hidden class of its own.
    const record: DynamicRecord = {
      spec: normalized,
      handle: undefined,
      status: 'stopped',
      restarts: 0,
      limit,
      window: undefined,
    };
    this.#children.set(id, record);
    const handle = this.#spawn(record);
    const first = handle.isReady ? undefined : await handle.started;
    if (first !== undefined) throw new StartFailedError(this.id, id, first.error ?? first.reason);
    return id;
  }

  /** Stops a child and forgets it; resolves with its exit, or `undefined` when no such child runs. */
  async terminateChild(id: string): Promise<Exit | undefined> {
    const record = this.#children.get(id);
    if (record === undefined) return undefined;
    this.#children.delete(id);
    return this.#stop(record);
  }

  /** One child by id, or `undefined`. */
  getChild(id: string): ChildInfo | undefined {
    const record = this.#children.get(id);
    return record === undefined ? undefined : childInfo(record);
  }

  whichChildren(): ChildInfo[] {
    return [...this.#children.values()].map(childInfo);
  }

  countChildren(): ChildCounts {
    let active = 0;
    let supervisors = 0;
    for (const record of this.#children.values()) {
      if (record.status === 'running') active++;
      if (record.spec.kind === 'supervisor') supervisors++;
    }
    const specs = this.#children.size;
    return { specs, active, supervisors, workers: specs - supervisors };
  }

  start(): Promise<void> {
    return this.#root.start();
  }

  stop(): Promise<Exit> {
    return this.#root.stop();
  }

  get done(): Promise<Exit> | undefined {
    return this.#root.done;
  }

  run(ctx: TaskContext): Promise<void> {
    if (this.#active !== undefined) {
      return Promise.reject(new Error(`DynamicSupervisor "${this.id}" is already running`));
    }
    return new Promise<void>((resolve, reject) => {
      const active: Active = {
        window: new RestartWindow(this.#intensity, this.#periodMs),
        stopping: false,
        finish: (error) => {
          ctx.signal.removeEventListener('abort', onAbort);
          this.#active = undefined;
          if (error === undefined) resolve();
          else reject(error);
        },
      };
      const onAbort = (): void => void this.#shutdown(active);
      this.#active = active;
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      ctx.ready();
      if (ctx.signal.aborted) onAbort();
    });
  }

  readonly #observer: SpawnObserver<DynamicRecord> = {
    onReady: (record, handle) => {
      if (record.handle === handle) this.#running(record);
    },
    onExit: (record, handle, exit) => {
      const active = this.#active;
      if (active !== undefined) this.#onExit(active, record, handle, exit);
    },
  };

  #spawn(record: DynamicRecord): TaskHandle {
    const { spec } = record;
    const handle = spawn(spec.task, {
      id: spec.id,
      clock: this.#clock,
      shutdownMs: spec.shutdownMs,
      observer: this.#observer,
      key: record,
    });
    record.handle = handle;
    record.status = 'starting';
    if (handle.isReady) this.#running(record);
    return handle;
  }

  #running(record: ChildRecord): void {
    record.status = 'running';
    if (!this.#events.has('started') && !this.#events.has('restarted')) return;
    this.#events.emit('started', { supervisorId: this.id, childId: record.spec.id });
    if (record.restarts > 0) {
      this.#events.emit('restarted', { supervisorId: this.id, childId: record.spec.id });
    }
  }

  #onExit(active: Active, record: DynamicRecord, handle: TaskHandle, exit: Exit): void {
    if (record.handle !== handle) return;
    const neverStarted = record.status === 'starting' && record.restarts === 0;
    record.handle = undefined;
    record.status = 'stopped';
    if (this.#events.has('exited')) {
      this.#events.emit('exited', { supervisorId: this.id, childId: record.spec.id, exit });
    }
    if (active.stopping) return;
    if (neverStarted || !needsRestart(record.spec.restart, exit)) {
      this.#children.delete(record.spec.id);
      return;
    }
    const { limit } = record;
    if (limit !== undefined) {
      record.window ??= new RestartWindow(limit.intensity, limit.periodMs);
      if (!record.window.record(this.#clock.monotonic())) {
        this.#children.delete(record.spec.id);
        const { intensity, periodMs } = limit;
        const cause = exit.error ?? exit.reason;
        const error = new RestartIntensityError(
          this.id,
          record.spec.id,
          intensity,
          periodMs,
          cause,
        );
        this.#events.emit('child-gave-up', {
          supervisorId: this.id,
          childId: record.spec.id,
          error,
        });
        return;
      }
    } else if (!active.window.record(this.#clock.monotonic())) {
      const error = new RestartIntensityError(
        this.id,
        record.spec.id,
        this.#intensity,
        this.#periodMs,
        exit.error ?? exit.reason,
      );
      void this.#shutdown(active, error);
      return;
    }
    record.restarts++;
    this.#spawn(record);
  }

  async #stop(record: ChildRecord): Promise<Exit> {
    const handle = record.handle;
    if (handle === undefined) return { reason: 'shutdown' };
    record.handle = undefined;
    record.status = 'stopping';
    const exit = await handle.stop();
    record.status = 'stopped';
    if (exit.reason === 'killed') {
      this.#events.emit('abandoned', {
        supervisorId: this.id,
        childId: record.spec.id,
        shutdownMs: record.spec.shutdownMs,
      });
    }
    this.#events.emit('exited', { supervisorId: this.id, childId: record.spec.id, exit });
    return exit;
  }

  async #shutdown(active: Active, error?: RestartIntensityError): Promise<void> {
    if (active.stopping) return;
    active.stopping = true;
    const records = [...this.#children.values()];
    await Promise.all(records.map((record) => this.#stop(record)));
    this.#children.clear();
    if (error !== undefined) this.#events.emit('gave-up', { supervisorId: this.id, error });
    active.finish(error);
  }
}

/** Creates a {@link DynamicSupervisor}; throws `RangeError` naming any bad option. */
export function createDynamicSupervisor(options?: DynamicSupervisorOptions): DynamicSupervisor {
  return new DynamicSupervisor(options);
}
