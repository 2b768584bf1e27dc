import type { BackoffState } from '@vigil/resilience';
import type { CheckResult, Outcome } from '../checks/index.js';

/**
 * What the board shows. `up` green, `down` red, `pending` grey (unknown, in progress or a failure not yet
 * confirmed), `degraded` amber, `maintenance` blue, `paused` (not being checked on purpose).
 */
export const statuses = ['up', 'down', 'pending', 'degraded', 'maintenance', 'paused'] as const;
export type Status = (typeof statuses)[number];

/**
 * Whether the monitor's task runs. `running`; `backing-off` (failing, re-checked on the retry backoff);
 * `blocked` (gave up after maxAttempts); `disabled` (paused, or its flag is off); `crashed` (its supervisor
 * gave up on it).
 */
export const lifecycles = ['running', 'backing-off', 'blocked', 'disabled', 'crashed'] as const;
export type Lifecycle = (typeof lifecycles)[number];

/** Health confirmed by enough consecutive results, under any pending/maintenance display. */
export type Confirmed = 'up' | 'down' | 'degraded' | 'unknown';

/** The last result, as kept in the runtime state. */
export interface LastResult {
  readonly outcome: Outcome;
  readonly message: string;
  readonly latencyMs: number;
  /** Wall time the check started, ms. */
  readonly at: number;
}

/**
 * A monitor's runtime state: everything needed to resume exactly where it stopped after a restart.
 * Immutable: every transition makes a new one. The store persists it.
 */
export interface MonitorState {
  readonly status: Status;
  /** Why it has this status, for the board and alerts. */
  readonly reason: string;
  /** Wall time of the last status change, ms. */
  readonly since: number;
  readonly lifecycle: Lifecycle;
  readonly confirmed: Confirmed;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** Position on the retry backoff while failing. */
  readonly backoff: BackoffState;
  readonly lastResult?: LastResult;
  /** Id of a `dependsOn` parent that is down (alerts for this monitor are then muted). */
  readonly parentDown?: string;
  /** Name of the maintenance window in force, if any. */
  readonly maintenance?: string;
  /** The feature flag that is off and keeps it `disabled` (its own or its group's); set only then. */
  readonly flagOff?: string;
}

/** A status change. */
export interface Change {
  readonly from: Status;
  readonly to: Status;
  readonly reason: string;
  /** Wall time, ms. */
  readonly at: number;
}

/** Why a status changed. */
export const changeCauses = [
  'check',
  'pause',
  'resume',
  'crash',
  'maintenance',
  'config',
  'flag',
  'block',
] as const;
export type ChangeCause = (typeof changeCauses)[number];

/** One check run, as the engine reports it. */
export interface MonitorResult extends CheckResult {
  readonly monitorId: string;
  /** Wall time the check started, ms. */
  readonly startedAt: number;
  /** How late the check started against its schedule, ms (queueing for a slot included). */
  readonly lagMs: number;
}

/** Emitted after every check run. `change` is the status change it caused, if any. */
export interface CheckedEvent {
  readonly monitorId: string;
  readonly result: MonitorResult;
  readonly state: MonitorState;
  readonly change: Change | null;
}

/** Emitted for every status change, whatever caused it (a check run also emits `checked`). */
export interface ChangeEvent {
  readonly monitorId: string;
  readonly change: Change;
  readonly cause: ChangeCause;
  readonly state: MonitorState;
}

/** Emitted when a monitor's task lifecycle changes. */
export interface LifecycleEvent {
  readonly monitorId: string;
  readonly from: Lifecycle;
  readonly to: Lifecycle;
  readonly reason: string;
  /** The error, when the task crashed. */
  readonly error?: unknown;
}

/** A monitor's task crashed (its supervisor restarts it unless past its intensity). */
export interface CrashEvent {
  readonly monitorId: string;
  readonly error: unknown;
}

export interface EngineEvents {
  checked: CheckedEvent;
  change: ChangeEvent;
  lifecycle: LifecycleEvent;
  crash: CrashEvent;
}
