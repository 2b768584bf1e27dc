import {
  createFlagSupervisor,
  type Clock,
  type FlagChildInfo,
  type FlagClient,
  type FlagEvaluation,
  type FlagSupervisor,
  type Task,
} from '@vigil/resilience';
import type { Config, MonitorConfig } from '../config/index.js';
import type { MonitorFlags, OffFlag } from '../engine/index.js';
import { flagTargets, gateId, type FlagTarget, type FlagTargetKind } from './targets.js';

/** Options of {@link createFlagGates}. */
export interface FlagGatesOptions {
  /** The OpenFeature client flags are evaluated with (a domain of the server's own). */
  readonly client: FlagClient;
  readonly clock?: Clock;
  /** Every flag is evaluated again this often, besides the provider's change events. Default 1,000 ms. */
  readonly pollMs?: number;
  /** The value of a flag that cannot be evaluated. Default true. */
  readonly fallback?: boolean;
  /** Default 5,000 ms. */
  readonly evaluationTimeoutMs?: number;
}

/** One flag as the API lists it: its value and everything it governs. */
export interface FlagView {
  readonly flag: string;
  /** The value in force: the flag's, or the fallback when it cannot be evaluated. */
  readonly on: boolean;
  /** The last evaluation, once there was one. */
  readonly evaluation: FlagEvaluation | undefined;
  /** Monitors it governs: by their own `flag:` or their group's; sorted. */
  readonly monitors: readonly string[];
  readonly groups: readonly string[];
  readonly notifiers: readonly string[];
}

/** A gate holds no work: it runs while its flag is on, and that is what the server watches. */
const gate: Task = { run: (ctx) => new Promise<void>((resolve) => ctx.onStop(resolve)) };

/**
 * The server's feature flags: one `FlagSupervisor` child — a gate — per `flag:` key of the config (on a
 * monitor, a group or a notifier). The flag supervisor starts a gate while its flag is on and stops it when
 * the flag goes off; the engine and the alerting follow the gates. A monitor runs while its own gate and its
 * group's are both open.
 */
export class FlagGates implements MonitorFlags {
  readonly #supervisor: FlagSupervisor;
  readonly #fallback: boolean;
  /** Gate child id → what it gates. */
  readonly #targets = new Map<string, FlagTarget>();
  /** Group id → its monitors, for listing what a group's flag governs. */
  #groupMonitors = new Map<string, string[]>();
  readonly #listeners = new Set<() => void>();

  constructor(options: FlagGatesOptions) {
    this.#fallback = options.fallback ?? true;
    this.#supervisor = createFlagSupervisor({
      id: 'flags',
      client: options.client,
      fallback: this.#fallback,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      ...(options.evaluationTimeoutMs === undefined
        ? {}
        : { evaluationTimeoutMs: options.evaluationTimeoutMs }),
    });
    const changed = (): void => {
      for (const listener of this.#listeners) listener();
    };
    this.#supervisor.on('started', changed);
    this.#supervisor.on('stopped', (e) => {
      if (e.reason === 'flag-off') changed();
    });
  }

  /** Evaluates the flags of `config` and opens the gates whose flags are on. */
  async start(config: Config): Promise<void> {
    await this.sync(config);
    await this.#supervisor.start();
  }

  /** Stops watching flags (every gate closes without telling anyone: the server is shutting down). */
  async stop(): Promise<void> {
    await this.#supervisor.stop();
  }

  /**
   * Follows a new config (hot reload): gates for new `flag:` keys are added (and evaluated at once), gates
   * of keys removed or changed are removed. Resolves when the new gates are open or closed.
   */
  async sync(config: Config): Promise<void> {
    const next = new Map(flagTargets(config).map((t) => [gateId(t.kind, t.id), t]));
    const groups = new Map<string, string[]>();
    for (const m of config.monitors) {
      const ids = groups.get(m.group);
      if (ids === undefined) groups.set(m.group, [m.id]);
      else ids.push(m.id);
    }
    this.#groupMonitors = groups;
    const removals: Promise<boolean>[] = [];
    for (const [id, target] of this.#targets) {
      if (next.get(id)?.flag === target.flag) continue;
      this.#targets.delete(id);
      removals.push(this.#supervisor.removeChild(id));
    }
    const additions: Promise<FlagChildInfo>[] = [];
    for (const [id, target] of next) {
      if (this.#targets.has(id)) continue;
      this.#targets.set(id, target);
      additions.push(this.#supervisor.addChild({ id, flag: target.flag, task: gate }));
    }
    await Promise.all([...removals, ...additions]);
  }

  /** Whether a monitor, group or notifier may run: true unless a `flag:` on it is off. */
  isOn(kind: FlagTargetKind, id: string): boolean {
    const child = this.#supervisor.getChild(gateId(kind, id));
    if (child === undefined) return true;
    // Stopping counts as off: the flag went off. Pending (not evaluated yet) fails open, like the flags.
    return child.state !== 'disabled' && child.state !== 'stopping' && child.state !== 'crashed';
  }

  offFlag(monitor: MonitorConfig): OffFlag | undefined {
    const group = this.#targets.get(gateId('group', monitor.group));
    if (group !== undefined && !this.isOn('group', monitor.group))
      return { flag: group.flag, group: monitor.group };
    const own = this.#targets.get(gateId('monitor', monitor.id));
    if (own !== undefined && !this.isOn('monitor', monitor.id)) return { flag: own.flag };
    return undefined;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Evaluates every flag now; resolves when the gates follow the answers. */
  refresh(): Promise<void> {
    return this.#supervisor.refresh();
  }

  /** Every flag named in the config, sorted by key, with its value and what it governs. */
  list(): FlagView[] {
    return this.#supervisor.flags().map(({ flag, children }) => {
      const monitors = new Set<string>();
      const groups: string[] = [];
      const notifiers: string[] = [];
      for (const child of children) {
        const target = this.#targets.get(child.id);
        if (target?.kind === 'monitor') monitors.add(target.id);
        if (target?.kind === 'notifier') notifiers.push(target.id);
        if (target?.kind === 'group') {
          groups.push(target.id);
          for (const m of this.#groupMonitors.get(target.id) ?? []) monitors.add(m);
        }
      }
      const evaluation = children[0]?.evaluation;
      return {
        flag,
        on: evaluation?.on ?? this.#fallback,
        evaluation,
        monitors: [...monitors].sort(),
        groups: groups.sort(),
        notifiers: notifiers.sort(),
      };
    });
  }
}

/** Creates the server's {@link FlagGates}; `start(config)` it before the engine starts. */
export function createFlagGates(options: FlagGatesOptions): FlagGates {
  return new FlagGates(options);
}
