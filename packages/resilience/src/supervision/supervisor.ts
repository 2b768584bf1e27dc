import { systemClock, type Clock } from '../clock/index.js';
import { RestartIntensityError, StartFailedError } from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { needsRestart, normalizeChildSpec, type ChildSpec } from './child-spec.js';
import type { ChildCounts, ChildInfo, SupervisorEvents } from './events.js';
import { intensityOptions } from './intensity.js';
import { RootRunner } from './root.js';
import { spawn } from './spawn.js';
import { SupervisorRun, childInfo, newRecord, type ChildRecord } from './supervisor-run.js';
import type { Exit, Task, TaskContext } from './task.js';

/**
 * What a supervisor does when a child needs a restart. `one_for_one`: restart that child.
 * `one_for_all`: stop the others (in reverse order) and restart them all (in order).
 * `rest_for_one`: stop the children started after it, then restart it and them in order.
 */
export const strategies = ['one_for_one', 'one_for_all', 'rest_for_one'] as const;
export type Strategy = (typeof strategies)[number];

/** Options of {@link createSupervisor}. */
export interface SupervisorOptions {
  /** Names the supervisor in events and errors. Default `supervisor`. */
  readonly id?: string;
  /** Default `one_for_one`. */
  readonly strategy?: Strategy;
  /** Restarts allowed within `periodMs` before giving up. Default 3. */
  readonly intensity?: number;
  /** The intensity window in ms. Default 5,000. */
  readonly periodMs?: number;
  /** Started in order, stopped in reverse order. Ids must be unique. */
  readonly children: readonly ChildSpec[];
  readonly clock?: Clock;
}

/**
 * An OTP supervisor: starts its children in order (each after the previous one is ready), restarts them by
 * strategy and restart type, and gives up — stopping its children in reverse order and exiting with a
 * `RestartIntensityError` — when restarts exceed its intensity. A supervisor is itself a {@link Task},
 * so trees nest to any depth; run it at the top with `start()`.
 */
export class Supervisor implements Task {
  readonly id: string;
  readonly waitsForReady = true;
  readonly defaultShutdownMs = Infinity;
  readonly kind = 'supervisor' as const;
  readonly #strategy: Strategy;
  readonly #intensity: number;
  readonly #periodMs: number;
  readonly #specs: readonly ChildRecord['spec'][];
  readonly #clock: Clock;
  readonly #events = new Emitter<SupervisorEvents>();
  readonly #root: RootRunner;
  #run: SupervisorRun | undefined;

  constructor(options: SupervisorOptions) {
    this.id = options.id ?? 'supervisor';
    const where = `Supervisor "${this.id}"`;
    const strategy = options.strategy ?? 'one_for_one';
    if (!(strategies as readonly string[]).includes(strategy)) {
      throw new RangeError(
        `${where}: strategy must be one of ${strategies.join(', ')}, got ${JSON.stringify(strategy)}`,
      );
    }
    this.#strategy = strategy;
    ({ intensity: this.#intensity, periodMs: this.#periodMs } = intensityOptions(
      where,
      options.intensity,
      options.periodMs,
    ));
    const children: unknown = options.children;
    if (!Array.isArray(children)) throw new TypeError(`${where}: children must be an array`);
    const seen = new Set<string>();
    this.#specs = options.children.map((spec, i) => {
      const normalized = normalizeChildSpec(spec, `${where}: children[${i}]`);
      if (seen.has(normalized.id)) {
        throw new TypeError(`${where}: children[${i}].id "${normalized.id}" is a duplicate`);
      }
      seen.add(normalized.id);
      return normalized;
    });
    this.#clock = options.clock ?? systemClock;
    this.#root = new RootRunner(this, this.id, this.#clock, Infinity);
  }

  /** Subscribes to a lifecycle event; returns the unsubscribe function. */
  on<K extends keyof SupervisorEvents>(
    name: K,
    listener: Listener<SupervisorEvents[K]>,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /** The children of the current (or last) run, in start order. */
  whichChildren(): ChildInfo[] {
    return (this.#run?.children ?? this.#specs.map(newRecord)).map(childInfo);
  }

  countChildren(): ChildCounts {
    const children = this.#run?.children ?? this.#specs.map(newRecord);
    const supervisors = children.filter((c) => c.spec.kind === 'supervisor').length;
    return {
      specs: children.length,
      active: children.filter((c) => c.status === 'running').length,
      supervisors,
      workers: children.length - supervisors,
    };
  }

  /** Starts the tree at the top; resolves once every child is ready. */
  start(): Promise<void> {
    return this.#root.start();
  }

  /** Stops a tree started with `start()`: children in reverse order. */
  stop(): Promise<Exit> {
    return this.#root.stop();
  }

  /** The exit of a tree started with `start()`. */
  get done(): Promise<Exit> | undefined {
    return this.#root.done;
  }

  run(ctx: TaskContext): Promise<void> {
    if (this.#run !== undefined && !this.#run.stopping) {
      return Promise.reject(new Error(`Supervisor "${this.id}" is already running`));
    }
    const run = new SupervisorRun(this.#specs.map(newRecord), this.#intensity, this.#periodMs);
    this.#run = run;
    const onAbort = (): void => {
      run.requestStop();
      run.enqueue(async () => {
        await this.#stopAll(run);
        run.end();
      });
    };
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    run.enqueue(() => this.#startAll(run, ctx));
    return run.finished.finally(() => ctx.signal.removeEventListener('abort', onAbort));
  }

  async #startAll(run: SupervisorRun, ctx: TaskContext): Promise<void> {
    for (const record of run.children) {
      if (run.stopping) return;
      const failed = await this.#startChild(run, record);
      if (failed === undefined) continue;
      if (failed === 'stopping') return;
      run.requestStop();
      await this.#stopAll(run);
      run.end(new StartFailedError(this.id, record.spec.id, failed.error ?? failed.reason));
      return;
    }
    if (!run.stopping) ctx.ready();
  }

  /** Starts one child and waits until it is ready; returns its exit if it exited first. */
  async #startChild(
    run: SupervisorRun,
    record: ChildRecord,
  ): Promise<Exit | 'stopping' | undefined> {
    const { spec } = record;
    const handle = spawn(spec.task, {
      id: spec.id,
      clock: this.#clock,
      shutdownMs: spec.shutdownMs,
    });
    record.handle = handle;
    record.status = 'starting';
    void handle.done.then((exit) => run.enqueue(() => this.#onExit(run, record, handle, exit)));
    const first = await Promise.race([handle.started, run.stopRequested]);
    if (first === 'stop') return 'stopping';
    if (first !== undefined) return first; // its exit is queued and handled by #onExit
    record.status = 'running';
    this.#events.emit('started', { supervisorId: this.id, childId: spec.id });
    return undefined;
  }

  async #onExit(
    run: SupervisorRun,
    record: ChildRecord,
    handle: ChildRecord['handle'],
    exit: Exit,
  ): Promise<void> {
    if (record.handle !== handle) return; // stopped on purpose or already handled
    record.handle = undefined;
    record.status = 'stopped';
    this.#events.emit('exited', { supervisorId: this.id, childId: record.spec.id, exit });
    if (run.stopping) return;
    if (!needsRestart(record.spec.restart, exit)) {
      if (record.spec.restart === 'temporary') remove(run.children, record);
      return;
    }
    if (!run.window.record(this.#clock.monotonic())) {
      const error = new RestartIntensityError(
        this.id,
        record.spec.id,
        this.#intensity,
        this.#periodMs,
        exit.error ?? exit.reason,
      );
      run.requestStop();
      await this.#stopAll(run);
      this.#events.emit('gave-up', { supervisorId: this.id, error });
      run.end(error);
      return;
    }
    await this.#restart(run, record);
  }

  async #restart(run: SupervisorRun, failed: ChildRecord): Promise<void> {
    const index = run.children.indexOf(failed);
    const group =
      this.#strategy === 'one_for_one'
        ? [failed]
        : run.children.slice(this.#strategy === 'one_for_all' ? 0 : index);
    for (const record of [...group].reverse()) {
      if (record !== failed && record.handle !== undefined) await this.#stopChild(record);
    }
    for (const record of group) {
      if (record !== failed && record.spec.restart === 'temporary') remove(run.children, record);
    }
    for (const record of group) {
      if (run.stopping) return;
      if (record.handle !== undefined || !run.children.includes(record)) continue;
      record.restarts++;
      const outcome = await this.#startChild(run, record);
      if (outcome !== undefined) return; // it exited again: that exit is queued and handled next
      this.#events.emit('restarted', { supervisorId: this.id, childId: record.spec.id });
    }
  }

  async #stopChild(record: ChildRecord): Promise<void> {
    const handle = record.handle;
    if (handle === undefined) return;
    record.status = 'stopping';
    const exit = await handle.stop();
    record.handle = undefined;
    record.status = 'stopped';
    if (exit.reason === 'killed') {
      this.#events.emit('abandoned', {
        supervisorId: this.id,
        childId: record.spec.id,
        shutdownMs: record.spec.shutdownMs,
      });
    }
    this.#events.emit('exited', { supervisorId: this.id, childId: record.spec.id, exit });
  }

  async #stopAll(run: SupervisorRun): Promise<void> {
    for (const record of [...run.children].reverse()) await this.#stopChild(record);
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** Creates a {@link Supervisor}; throws `TypeError`/`RangeError` naming any bad option. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  return new Supervisor(options);
}
