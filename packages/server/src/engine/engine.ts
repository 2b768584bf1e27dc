import {
  Emitter,
  systemClock,
  systemRandom,
  type Clock,
  type Listener,
  type Random,
} from '@vigil/resilience';
import type { CheckDeps, CheckKind } from '../checks/index.js';
import type { Config, MonitorConfig } from '../config/index.js';
import { flagDisable, flagEnable, type MonitorFlags } from './flag-gate.js';
import { activeWindow } from './maintenance.js';
import { monitorTask, type MonitorEnv, type MonitorRuntime } from './monitor-task.js';
import { MonitorTree } from './monitor-tree.js';
import { Semaphore } from './semaphore.js';
import { crash, disable, enable, initialState, refresh, type Transition } from './state-machine.js';
import type { Change, ChangeCause, EngineEvents, MonitorResult, MonitorState } from './types.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  readonly kinds: Readonly<Record<string, CheckKind>>;
  /** Services check kinds need (heartbeats, config directory); the engine adds its clock. */
  readonly deps: Omit<CheckDeps, 'clock'>;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Checks in flight at once, over all monitors. Default 256. */
  readonly maxConcurrentChecks?: number;
  /** Restarts of one monitor's task within `restartPeriodMs` before it is marked crashed. Default 3. */
  readonly restartIntensity?: number;
  /** Default 5,000 ms. */
  readonly restartPeriodMs?: number;
  /** First runs are spread over `monitors × spreadPerMonitorMs`, capped at each interval. Default 20 ms. */
  readonly spreadPerMonitorMs?: number;
  /** States to resume from (the store loads them). */
  readonly states?: ReadonlyMap<string, MonitorState>;
  /**
   * Feature flags governing monitors (`flag:` on a monitor or its group): while one is off the monitor's
   * task is stopped and it is `disabled`; when it is on again it starts with its stored state.
   */
  readonly flags?: MonitorFlags;
}

/** A monitor as the engine reports it: its config and its current runtime state. */
export interface MonitorSnapshot {
  readonly config: MonitorConfig;
  readonly state: MonitorState;
}

/**
 * Runs every monitor as its own supervised task (see {@link MonitorTree}): a monitor whose task crashes
 * past its restart intensity is `crashed`, and every other monitor runs on.
 * Emits `checked`, `change` and `lifecycle` events; never imports the store, alerting or the API.
 */
export class Engine {
  readonly #options: EngineOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #events = new Emitter<EngineEvents>();
  readonly #runtimes = new Map<string, MonitorRuntime>();
  readonly #slots: Semaphore;
  readonly #env: MonitorEnv;
  readonly #tree: MonitorTree;
  #config: Config | undefined;
  /** Config changes and flag changes are applied one at a time, in order. */
  #serial: Promise<unknown> = Promise.resolve();
  #flagsDirty = false;
  #offFlags: (() => void) | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#slots = new Semaphore(options.maxConcurrentChecks ?? 256);
    this.#tree = new MonitorTree({
      clock: this.#clock,
      restartIntensity: options.restartIntensity ?? 3,
      restartPeriodMs: options.restartPeriodMs ?? 5000,
      onTaskCrash: (monitorId, error) => this.#events.emit('crash', { monitorId, error }),
      onGivenUp: (monitorId, error) => {
        const runtime = this.#runtimes.get(monitorId);
        if (runtime !== undefined) this.#crashed(runtime, error);
      },
    });
    const spreadPer = options.spreadPerMonitorMs ?? 20;
    this.#env = {
      clock: this.#clock,
      random: this.#random,
      kinds: options.kinds,
      deps: { ...options.deps, clock: this.#clock },
      slots: this.#slots,
      spreadMs: (config) => Math.min(config.intervalMs, this.#runtimes.size * spreadPer),
      parentDown: (config) =>
        config.dependsOn.find((id) => this.#runtimes.get(id)?.state.status === 'down'),
      commitResult: (runtime, transition, result) =>
        this.#commit(runtime, transition, 'check', result),
      refresh: (runtime) =>
        this.#commit(runtime, refresh(runtime.state, this.#context(runtime.config)), 'maintenance'),
    };
  }

  on<K extends keyof EngineEvents>(name: K, listener: Listener<EngineEvents[K]>): () => void {
    return this.#events.on(name, listener);
  }

  /** Starts every monitor of `config`. */
  async start(config: Config): Promise<void> {
    await this.#tree.start();
    this.#offFlags ??= this.#options.flags?.onChange(() => void this.#flagsChanged());
    this.#config = config;
    for (const monitor of config.monitors) {
      const restored = this.#options.states?.get(monitor.id);
      this.#runtimes.set(monitor.id, {
        config: monitor,
        state: restored ?? initialState(this.#clock.now()),
        wake: undefined,
        runRequested: false,
      });
    }
    // One after another: start order is then config order, and a start storm never floods the loop.
    for (const monitor of config.monitors)
      await this.#launch(this.#runtimes.get(monitor.id) as MonitorRuntime);
  }

  /**
   * Applies a new config (hot reload): changed monitors restart (keeping their state), unchanged ones keep
   * running undisturbed, removed ones stop, new ones start.
   */
  apply(config: Config): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    return this.#exclusive(async () => {
      const diff = await this.#apply(config);
      await this.#applyFlags(); // a group's flag may have changed, which restarts none of its monitors
      return diff;
    });
  }

  async #apply(config: Config): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const next = new Map(config.monitors.map((m) => [m.id, m]));
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    for (const [id, runtime] of this.#runtimes) {
      if (!next.has(id)) {
        removed.push(id);
        await this.#halt(runtime);
        this.#runtimes.delete(id);
      }
    }
    this.#config = config;
    for (const monitor of config.monitors) {
      const runtime = this.#runtimes.get(monitor.id);
      if (runtime === undefined) {
        added.push(monitor.id);
        const fresh: MonitorRuntime = {
          config: monitor,
          state: initialState(this.#clock.now()),
          wake: undefined,
          runRequested: false,
        };
        this.#runtimes.set(monitor.id, fresh);
        await this.#launch(fresh);
      } else if (stableJson(runtime.config) !== stableJson(monitor)) {
        changed.push(monitor.id);
        await this.#halt(runtime);
        runtime.config = monitor;
        runtime.runRequested = true;
        if (runtime.state.lifecycle === 'crashed' || runtime.state.lifecycle === 'blocked') {
          this.#commit(
            runtime,
            enable(runtime.state, 'config changed', this.#clock.now()),
            'config',
          );
        }
        await this.#launch(runtime);
      }
    }
    await this.#tree.dropEmptyGroups(
      new Set([...this.#runtimes.values()].map((r) => r.config.group)),
    );
    return { added, changed, removed };
  }

  /** Stops every monitor and the tree. */
  async stop(): Promise<void> {
    this.#offFlags?.();
    this.#offFlags = undefined;
    await this.#tree.stop();
  }

  /** Stops checking a monitor (status `paused`) until resumed. False when there is no such monitor. */
  async pause(id: string, reason = 'paused'): Promise<boolean> {
    const runtime = this.#runtimes.get(id);
    if (runtime === undefined) return false;
    await this.#halt(runtime);
    this.#commit(runtime, disable(runtime.state, reason, this.#clock.now()), 'pause');
    return true;
  }

  /** Resumes a paused, blocked or crashed monitor and checks it at once. False when there is no such monitor. */
  async resume(id: string): Promise<boolean> {
    const runtime = this.#runtimes.get(id);
    if (runtime === undefined) return false;
    const { lifecycle } = runtime.state;
    if (lifecycle === 'running' || lifecycle === 'backing-off') return true;
    runtime.runRequested = true;
    this.#commit(runtime, enable(runtime.state, 'resumed', this.#clock.now()), 'resume');
    if (lifecycle === 'blocked') runtime.wake?.();
    else await this.#launch(runtime);
    return true;
  }

  /** Checks a monitor now instead of at its next planned time. False when it is not being checked. */
  runNow(id: string): boolean {
    const runtime = this.#runtimes.get(id);
    if (runtime === undefined) return false;
    const { lifecycle } = runtime.state;
    if (lifecycle !== 'running' && lifecycle !== 'backing-off') return false;
    runtime.runRequested = true;
    runtime.wake?.();
    return true;
  }

  get(id: string): MonitorSnapshot | undefined {
    const runtime = this.#runtimes.get(id);
    return runtime === undefined ? undefined : { config: runtime.config, state: runtime.state };
  }

  list(): MonitorSnapshot[] {
    return [...this.#runtimes.values()].map((r) => ({ config: r.config, state: r.state }));
  }

  /** The config in force. */
  get config(): Config | undefined {
    return this.#config;
  }

  /** Checks in flight and waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.#slots.inUse, waiting: this.#slots.waiting };
  }

  async #launch(runtime: MonitorRuntime): Promise<void> {
    const { config } = runtime;
    if (!config.paused && this.#gate(runtime)) return;
    if (config.paused || runtime.state.lifecycle === 'disabled') {
      const reason =
        runtime.state.lifecycle === 'disabled' ? runtime.state.reason : 'paused in config';
      this.#commit(runtime, disable(runtime.state, reason, this.#clock.now()), 'pause');
      return;
    }
    if (runtime.state.lifecycle === 'crashed') {
      this.#commit(runtime, enable(runtime.state, 'restarted', this.#clock.now()), 'resume');
    }
    await this.#tree.launch(
      config.id,
      config.group,
      monitorTask(runtime, this.#env),
      config.timeoutMs + 2000,
    );
  }

  /**
   * Applies the monitor's flags before it starts: a flag that is off disables it (true: do not start); a
   * flag on again resumes it from its stored state. A monitor paused by hand stays paused either way.
   */
  #gate(runtime: MonitorRuntime): boolean {
    const off = this.#options.flags?.offFlag(runtime.config);
    const { state } = runtime;
    if (off === undefined) {
      if (state.flagOff !== undefined)
        this.#commit(runtime, flagEnable(state, this.#context(runtime.config)), 'flag');
      return false;
    }
    if (state.lifecycle === 'disabled' && state.flagOff === undefined) return false;
    this.#commit(runtime, flagDisable(state, off, this.#clock.now()), 'flag');
    return true;
  }

  /** Flags changed: one pass over the monitors, however many changes arrive meanwhile. */
  #flagsChanged(): Promise<void> {
    this.#flagsDirty = true;
    return this.#exclusive(async () => {
      if (this.#flagsDirty) await this.#applyFlags();
    });
  }

  /** Stops the monitors whose flag is off (side by side), then starts those whose flags are on again. */
  async #applyFlags(): Promise<void> {
    this.#flagsDirty = false;
    const flags = this.#options.flags;
    if (flags === undefined || this.#offFlags === undefined) return; // no flags, or stopped
    const halts: Promise<void>[] = [];
    const starts: MonitorRuntime[] = [];
    for (const runtime of this.#runtimes.values()) {
      const { config, state } = runtime;
      if (config.paused || (state.lifecycle === 'disabled' && state.flagOff === undefined))
        continue;
      const off = flags.offFlag(config);
      if (off === undefined) {
        if (state.flagOff !== undefined) starts.push(runtime);
      } else if (state.lifecycle === 'disabled') {
        this.#commit(runtime, flagDisable(state, off, this.#clock.now()), 'flag');
      } else {
        halts.push(
          this.#halt(runtime).then(() => {
            this.#commit(runtime, flagDisable(runtime.state, off, this.#clock.now()), 'flag');
          }),
        );
      }
    }
    await Promise.all(halts);
    for (const runtime of starts) await this.#launch(runtime);
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(fn);
    this.#serial = run.catch(() => undefined);
    return run;
  }

  async #halt(runtime: MonitorRuntime): Promise<void> {
    await this.#tree.halt(runtime.config.id, runtime.config.group);
    runtime.wake = undefined;
  }

  #crashed(runtime: MonitorRuntime, error: unknown): void {
    if (this.#runtimes.get(runtime.config.id) !== runtime) return;
    this.#commit(
      runtime,
      crash(runtime.state, error, this.#clock.now()),
      'crash',
      undefined,
      error,
    );
  }

  #context(config: MonitorConfig) {
    const now = this.#clock.now();
    return {
      now,
      maintenance: activeWindow(config.maintenance, now)?.name,
      parentDown: this.#env.parentDown(config),
      random: this.#random,
    };
  }

  #commit(
    runtime: MonitorRuntime,
    transition: Pick<Transition, 'state' | 'change'>,
    cause: ChangeCause,
    result?: MonitorResult,
    error?: unknown,
  ): void {
    const prev = runtime.state;
    const { state, change } = transition;
    runtime.state = state;
    const monitorId = runtime.config.id;
    if (result !== undefined) this.#events.emit('checked', { monitorId, result, state, change });
    if (change !== null) this.#events.emit('change', { monitorId, change, cause, state });
    if (prev.lifecycle !== state.lifecycle) {
      this.#events.emit('lifecycle', {
        monitorId,
        from: prev.lifecycle,
        to: state.lifecycle,
        reason: state.reason,
        ...(error === undefined ? {} : { error }),
      });
    }
    if (change !== null && (change.to === 'down' || change.from === 'down'))
      this.#markChildren(monitorId, change);
  }

  /** Keeps `parentDown` of the monitors that depend on `parentId` up to date. */
  #markChildren(parentId: string, _change: Change): void {
    for (const runtime of this.#runtimes.values()) {
      if (!runtime.config.dependsOn.includes(parentId)) continue;
      const { state } = refresh(runtime.state, this.#context(runtime.config));
      runtime.state = state;
    }
  }
}

/** JSON with sorted keys, to compare configs. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Creates an {@link Engine}. */
export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}
