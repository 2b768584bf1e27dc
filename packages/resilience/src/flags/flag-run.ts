import type { EventDetails, ProviderEvents } from '@openfeature/server-sdk';
import type { Clock, Timer } from '../clock/index.js';
import type { Emitter } from '../events/index.js';
import {
  RestartWindow,
  spawn,
  type Exit,
  type SpawnOptions,
  type TaskHandle,
} from '../supervision/index.js';
import type { FlagEvaluation } from './evaluation.js';
import type { FlagStopReason, FlagSupervisorEvents } from './events.js';
import type { EvaluationGroup, FlagChild } from './flag-child.js';
import { CONFIGURATION_CHANGED, PROVIDER_READY } from './openfeature.js';
import type { NormalizedFlagOptions } from './options.js';
import { Rounds } from './rounds.js';
import { flagAction } from './state-table.js';

/** What a run needs from its supervisor: its options, its children and where to report. */
export interface RunHost {
  readonly options: NormalizedFlagOptions;
  readonly clock: Clock;
  readonly events: Emitter<FlagSupervisorEvents>;
  readonly groups: ReadonlyMap<string, EvaluationGroup>;
  readonly children: ReadonlyMap<string, FlagChild>;
}

/**
 * One run of a flag supervisor: has flags evaluated (on start, on provider events, on every poll — see
 * {@link Rounds}), applies the state table to each child, and starts, restarts and stops children. All
 * bookkeeping is synchronous; only evaluations and stops are awaited, each on its own, so a slow stop or a
 * slow flag holds up nothing else. A group keeps the answer of the latest-started evaluation, so answers
 * that arrive out of order never undo a newer one.
 */
export class FlagRun {
  active = true;
  #pollTimer: Timer | undefined;
  #subscribed = false;
  readonly #stops = new Set<Promise<Exit>>();
  /** Stops still under way of removed children, by id: a new child of that id waits for them. */
  readonly #retiring = new Map<string, Promise<Exit>>();
  readonly #onChange = (details?: EventDetails<ProviderEvents.ConfigurationChanged>): void => {
    if (!this.#subscribed || !this.active) return;
    const changed = details?.flagsChanged;
    void this.rounds.requestFull(
      changed !== undefined && changed.length > 0 ? new Set(changed) : undefined,
    );
  };
  readonly #onReady = (): void => {
    if (this.#subscribed && this.active) void this.rounds.requestFull();
  };

  /** Schedules this run's evaluation rounds. */
  readonly rounds: Rounds;

  constructor(readonly host: RunHost) {
    this.rounds = new Rounds({
      options: host.options,
      clock: host.clock,
      groups: host.groups,
      isActive: () => this.active,
      apply: (group, seq, evaluation) => this.#apply(group, seq, evaluation),
    });
  }

  /** Subscribes to provider events, evaluates every flag once and arms the poll. */
  async begin(): Promise<void> {
    const { client } = this.host.options;
    client.addHandler(CONFIGURATION_CHANGED, this.#onChange);
    client.addHandler(PROVIDER_READY, this.#onReady);
    // The SDK runs a Ready handler at once when the provider is ready: the first round below covers that.
    this.#subscribed = true;
    const first = this.rounds.requestFull();
    this.#armPoll();
    await first;
  }

  #armPoll(): void {
    const { pollMs } = this.host.options;
    if (pollMs === Infinity || !this.active) return;
    this.#pollTimer = this.host.clock.setTimer(pollMs, () => {
      this.#armPoll();
      void this.rounds.requestFull();
    });
  }

  #apply(group: EvaluationGroup, seq: number, evaluation: FlagEvaluation): void {
    if (!this.active || seq <= group.seq) return;
    const previous = group.value;
    group.seq = seq;
    group.value = evaluation;
    // Nothing a child acts on changed: skip its children. Every other transition (a stop completing, an
    // exit, a predecessor retiring, a child added) looks at the child itself, so a poll need not.
    if (previous !== undefined && sameOutcome(previous, evaluation)) return;
    for (const child of group.children) this.act(child);
  }

  /** Notes a change of the child's flag, then applies the state table to it. */
  act(child: FlagChild): void {
    const evaluation = child.group.value;
    if (!this.active || child.removed || evaluation === undefined) return;
    const seen = child.seen;
    if (seen !== evaluation) {
      child.seen = evaluation;
      if (
        (seen === undefined || !sameOutcome(seen, evaluation)) &&
        this.host.events.has('flag-changed')
      ) {
        this.host.events.emit('flag-changed', {
          supervisorId: this.host.options.id,
          childId: child.spec.id,
          flag: child.spec.flag,
          on: evaluation.on,
          previous: seen?.on,
          evaluation,
        });
      }
    }
    this.#reconcile(child, evaluation.on);
  }

  #reconcile(child: FlagChild, flagOn: boolean): void {
    // A child being stopped is neither running nor startable: it is looked at again once it has stopped,
    // so a flag that flips off and on converges without ever running two copies.
    if (child.status === 'stopping') return;
    if (child.status === 'stopped' && this.#retiring.has(child.spec.id)) return;
    const running = child.status !== 'stopped';
    switch (flagAction(flagOn, child.crash !== undefined, running)) {
      case 'start':
        this.#start(child);
        return;
      case 'stop':
        child.crash = undefined;
        if (child.handle !== undefined) void this.stop(child, child.handle, 'flag-off');
        return;
      case 'forget-crash':
      case 'adopt':
        child.crash = undefined;
        return;
      case 'none':
        return;
    }
  }

  #start(child: FlagChild): void {
    const { spec } = child;
    child.window = new RestartWindow(spec.intensity, spec.periodMs);
    child.restarts = 0;
    child.crash = undefined;
    this.#spawn(child);
  }

  #spawn(child: FlagChild): void {
    const { spec } = child;
    const options: SpawnOptions<FlagChild> = {
      id: spec.id,
      clock: this.host.clock,
      shutdownMs: spec.shutdownMs,
      observer: this.#observer,
      key: child,
    };
    // A task's exit is always reported asynchronously, so the handle is recorded before it can exit.
    const handle = spawn(spec.task, options);
    child.handle = handle;
    child.status = 'starting';
    if (handle.isReady) this.#ready(child);
  }

  readonly #observer = {
    onReady: (child: FlagChild, handle: TaskHandle): void => {
      if (child.handle === handle) this.#ready(child);
    },
    onExit: (child: FlagChild, handle: TaskHandle, exit: Exit): void => {
      this.#onExit(child, handle, exit);
    },
  };

  #ready(child: FlagChild): void {
    child.status = 'running';
    if (this.host.events.has('started')) {
      this.host.events.emit('started', this.#about(child, { restarts: child.restarts }));
    }
  }

  #onExit(child: FlagChild, handle: TaskHandle, exit: Exit): void {
    // A stop on purpose clears `child.handle` first, so only exits the child chose itself get here.
    if (child.handle !== handle) return;
    child.handle = undefined;
    child.status = 'stopped';
    if (!this.active || child.removed) return;
    const now = this.host.clock.monotonic();
    const restarting = child.window?.record(now) ?? false;
    this.host.events.emit('exited', this.#about(child, { exit, restarting }));
    if (restarting) {
      child.restarts++;
      this.#spawn(child);
      return;
    }
    child.crash = { exit, at: this.host.clock.now(), restarts: child.restarts };
    this.host.events.emit('crashed', this.#about(child, { exit, restarts: child.restarts }));
  }

  /** Stops a running child; once stopped, it is looked at again (its flag may be back on by then). */
  stop(child: FlagChild, handle: TaskHandle, reason: FlagStopReason): Promise<Exit> {
    child.handle = undefined;
    child.status = 'stopping';
    const stopping = handle.stop().then((exit) => {
      child.stopping = undefined;
      child.status = 'stopped';
      this.#stops.delete(stopping);
      this.host.events.emit('stopped', this.#about(child, { exit, reason }));
      this.act(child);
      return exit;
    });
    child.stopping = stopping;
    this.#stops.add(stopping);
    return stopping;
  }

  /** Forgets a removed child; a new child of the same id starts only once this one has stopped. */
  retire(child: FlagChild): Promise<Exit> | undefined {
    child.removed = true;
    const stopping =
      child.handle !== undefined ? this.stop(child, child.handle, 'removed') : child.stopping;
    if (stopping === undefined) return undefined;
    const id = child.spec.id;
    const retiring = stopping.finally(() => {
      if (this.#retiring.get(id) !== retiring) return;
      this.#retiring.delete(id);
      const successor = this.host.children.get(id);
      if (successor !== undefined) this.act(successor);
    });
    this.#retiring.set(id, retiring);
    return retiring;
  }

  /** Stops polling and listening, then stops every child at once and waits for all of them. */
  async shutdown(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.#pollTimer?.cancel();
    const { client } = this.host.options;
    client.removeHandler(CONFIGURATION_CHANGED, this.#onChange);
    client.removeHandler(PROVIDER_READY, this.#onReady);
    for (const child of this.host.children.values()) {
      if (child.handle !== undefined) void this.stop(child, child.handle, 'shutdown');
    }
    await Promise.all([...this.#stops, ...this.#retiring.values()]);
  }

  /** Adds who and which flag to an event (set in place: spreading is slow on hot paths). */
  #about<T extends object>(
    child: FlagChild,
    event: T,
  ): T & { supervisorId: string; childId: string; flag: string } {
    const out = event as T & { supervisorId: string; childId: string; flag: string };
    out.supervisorId = this.host.options.id;
    out.childId = child.spec.id;
    out.flag = child.spec.flag;
    return out;
  }
}

/** Whether two evaluations lead to the same: value, and whether (and why) it is the fallback. */
function sameOutcome(a: FlagEvaluation, b: FlagEvaluation): boolean {
  return a.on === b.on && a.fallback === b.fallback && a.errorCode === b.errorCode;
}
