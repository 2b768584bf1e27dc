import { systemClock, type Clock } from '../clock/index.js';
import { AlreadyStartedError } from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { RootRunner, type Exit, type Task, type TaskContext } from '../supervision/index.js';
import type { FlagChildCounts, FlagSupervisorEvents } from './events.js';
import {
  flagChildInfo,
  newChild,
  newGroup,
  type EvaluationGroup,
  type FlagChild,
  type FlagChildInfo,
  type FlagInfo,
} from './flag-child.js';
import { FlagRun } from './flag-run.js';
import {
  normalizeFlagChildSpec,
  normalizeFlagOptions,
  type FlagChildSpec,
  type FlagSupervisorOptions,
  type NormalizedFlagChildSpec,
  type NormalizedFlagOptions,
} from './options.js';

/**
 * A supervisor whose children are switched on and off by feature flags — a circuit breaker an operator
 * flips at runtime, without a deploy. Flags are evaluated through an OpenFeature client, so any provider
 * works. It reacts at once to the provider's change events and also polls; each child follows the state
 * table of {@link flagAction}. A child that crashes past its own restart intensity stays down until its
 * flag is cycled off and on, or the supervisor restarts.
 *
 * It is a {@link Task}, so it sits in a supervision tree; at the top, run it with `start()`/`stop()`.
 * Its children are configuration: they survive its restarts (crash records do not).
 */
export class FlagSupervisor implements Task {
  readonly id: string;
  readonly waitsForReady = true;
  readonly defaultShutdownMs = Infinity;
  readonly kind = 'supervisor' as const;
  readonly #options: NormalizedFlagOptions;
  readonly #clock: Clock;
  readonly #events = new Emitter<FlagSupervisorEvents>();
  readonly #children = new Map<string, FlagChild>();
  readonly #groups = new Map<string, EvaluationGroup>();
  readonly #root: RootRunner;
  #run: FlagRun | undefined;

  constructor(options: FlagSupervisorOptions) {
    this.#options = normalizeFlagOptions(options);
    this.id = this.#options.id;
    this.#clock = options.clock ?? systemClock;
    const children: unknown = options.children ?? [];
    if (!Array.isArray(children))
      throw new TypeError(`FlagSupervisor "${this.id}": children must be an array`);
    const specs = (children as FlagChildSpec[]).map((spec, i) =>
      normalizeFlagChildSpec(
        spec,
        `FlagSupervisor "${this.id}": children[${i}]`,
        this.#options.fallback,
      ),
    );
    specs.forEach((spec, i) => {
      if (this.#children.has(spec.id)) {
        throw new TypeError(
          `FlagSupervisor "${this.id}": children[${i}].id "${spec.id}" is a duplicate`,
        );
      }
      this.#add(spec);
    });
    this.#root = new RootRunner(this, this.id, this.#clock, Infinity);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof FlagSupervisorEvents>(
    name: K,
    listener: Listener<FlagSupervisorEvents[K]>,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Adds a child. While the supervisor runs, its flag is evaluated at once and the promise resolves with the
   * child's state once that is applied (and, if it started, once it is ready or has exited); otherwise it
   * resolves at once and the child starts with the supervisor. Throws `TypeError`/`RangeError` for a bad
   * spec; rejects with `ALREADY_STARTED` when the id is taken.
   */
  addChild(spec: FlagChildSpec): Promise<FlagChildInfo> {
    const where = `FlagSupervisor "${this.id}": addChild`;
    const normalized = normalizeFlagChildSpec(spec, where, this.#options.fallback);
    if (this.#children.has(normalized.id)) {
      return Promise.reject(new AlreadyStartedError(this.id, normalized.id));
    }
    const child = this.#add(normalized);
    const run = this.#run;
    if (run?.active !== true) return Promise.resolve(this.#info(child));
    return this.#firstEvaluation(run, child);
  }

  async #firstEvaluation(run: FlagRun, child: FlagChild): Promise<FlagChildInfo> {
    const { group } = child;
    if (group.value !== undefined) run.act(child); // a shared flag already known: act on it at once
    group.pending ??= run.rounds.evaluateNow([group]).finally(() => {
      group.pending = undefined;
    });
    await group.pending;
    if (child.status === 'starting' && child.handle !== undefined) await child.handle.started;
    return this.#info(child);
  }

  /**
   * Removes a child, stopping it if it runs; resolves once it has stopped, true if the id was known. A child
   * added again under the same id meanwhile starts only after this one has stopped.
   */
  async removeChild(id: string): Promise<boolean> {
    const child = this.#children.get(id);
    if (child === undefined) return false;
    this.#children.delete(id);
    const { group } = child;
    group.children.delete(child);
    if (group.children.size === 0) this.#groups.delete(group.key);
    const run = this.#run;
    child.removed = true;
    const stopping = run?.active === true ? run.retire(child) : child.stopping;
    if (stopping !== undefined) await stopping;
    return true;
  }

  /** One child's state by id, or `undefined`. */
  getChild(id: string): FlagChildInfo | undefined {
    const child = this.#children.get(id);
    return child === undefined ? undefined : this.#info(child);
  }

  /**
   * The task of a child that is running (started and ready), e.g. to call a `Server` child; `undefined`
   * when it is not running (disabled, crashed, starting, stopping) or unknown.
   */
  runningChild(id: string): Task | undefined {
    const child = this.#children.get(id);
    return child?.status === 'running' ? child.spec.task : undefined;
  }

  /** Every child's state, in the order they were added. */
  whichChildren(): FlagChildInfo[] {
    return [...this.#children.values()].map((child) => this.#info(child));
  }

  /** Every flag with the children it governs, sorted by flag key. */
  flags(): FlagInfo[] {
    const byFlag = new Map<string, FlagChildInfo[]>();
    for (const child of this.#children.values()) {
      const list = byFlag.get(child.spec.flag);
      if (list === undefined) byFlag.set(child.spec.flag, [this.#info(child)]);
      else list.push(this.#info(child));
    }
    return [...byFlag.keys()].sort().map((flag) => ({ flag, children: byFlag.get(flag) ?? [] }));
  }

  countChildren(): FlagChildCounts {
    let active = 0;
    let supervisors = 0;
    let disabled = 0;
    let crashed = 0;
    for (const child of this.#children.values()) {
      if (child.status === 'running') active++;
      if (child.spec.kind === 'supervisor') supervisors++;
      if (child.crash !== undefined) crashed++;
      else if (child.status === 'stopped' && child.group.value?.on === false) disabled++;
    }
    const specs = this.#children.size;
    return { specs, active, supervisors, workers: specs - supervisors, disabled, crashed };
  }

  /** Evaluates every flag now and applies the answers; resolves when done (at once when not running). */
  refresh(): Promise<void> {
    const run = this.#run;
    return run?.active === true ? run.rounds.requestFull() : Promise.resolve();
  }

  /** Starts the supervisor at the top of a tree; resolves once the first evaluation has been applied. */
  start(): Promise<void> {
    return this.#root.start();
  }

  /** Stops a supervisor started with `start()`: every child at once. */
  stop(): Promise<Exit> {
    return this.#root.stop();
  }

  /** The exit of a supervisor started with `start()`. */
  get done(): Promise<Exit> | undefined {
    return this.#root.done;
  }

  run(ctx: TaskContext): Promise<void> {
    if (this.#run?.active === true) {
      return Promise.reject(new Error(`FlagSupervisor "${this.id}" is already running`));
    }
    for (const group of this.#groups.values()) {
      group.value = undefined;
      group.seq = 0;
      group.pending = undefined;
    }
    for (const child of this.#children.values()) {
      child.crash = undefined;
      child.seen = undefined;
      child.restarts = 0;
    }
    const run = new FlagRun({
      options: this.#options,
      clock: this.#clock,
      events: this.#events,
      groups: this.#groups,
      children: this.#children,
    });
    this.#run = run;
    return new Promise<void>((resolve, reject) => {
      let stopping: Promise<void> | undefined;
      const stop = (error?: unknown): Promise<void> =>
        (stopping ??= run.shutdown().then(() => (error === undefined ? resolve() : reject(error))));
      ctx.onStop(() => void stop());
      this.#startup(run, ctx).catch((error: unknown) => stop(error));
    });
  }

  /** The first round, then ready once every child it started is ready (or has exited). */
  async #startup(run: FlagRun, ctx: TaskContext): Promise<void> {
    await run.begin();
    const starting: Promise<unknown>[] = [];
    for (const child of this.#children.values()) {
      if (child.status === 'starting' && child.handle !== undefined)
        starting.push(child.handle.started);
    }
    await Promise.all(starting);
    if (run.active) ctx.ready();
  }

  #add(spec: NormalizedFlagChildSpec): FlagChild {
    let group = this.#groups.get(spec.evaluationKey);
    if (group === undefined) {
      group = newGroup(spec);
      this.#groups.set(group.key, group);
    }
    const child = newChild(spec, group);
    group.children.add(child);
    this.#children.set(spec.id, child);
    return child;
  }

  #info(child: FlagChild): FlagChildInfo {
    return flagChildInfo(child, this.#run?.active === true);
  }
}

/** Creates a {@link FlagSupervisor}; throws `TypeError`/`RangeError` naming any bad option. */
export function createFlagSupervisor(options: FlagSupervisorOptions): FlagSupervisor {
  return new FlagSupervisor(options);
}
