import type { RestartIntensityError } from '../errors/index.js';
import type { Exit } from './task.js';

/** Lifecycle events of a supervisor (static or dynamic). */
export interface SupervisorEvents {
  /** A child started (and signalled ready, when it waits for ready). */
  started: { readonly supervisorId: string; readonly childId: string };
  /** A child exited, for any reason, including being stopped by its supervisor. */
  exited: { readonly supervisorId: string; readonly childId: string; readonly exit: Exit };
  /** A child was started again after an exit. */
  restarted: { readonly supervisorId: string; readonly childId: string };
  /** A child ignored its stop signal past its shutdown timeout and was abandoned. */
  abandoned: {
    readonly supervisorId: string;
    readonly childId: string;
    readonly shutdownMs: number;
  };
  /** Restarts passed the intensity: the supervisor stopped its children and exits with `error`. */
  'gave-up': { readonly supervisorId: string; readonly error: RestartIntensityError };
  /**
   * A dynamic supervisor's child with a restart limit of its own passed it: the child is forgotten and
   * the supervisor runs on. `error.cause` is what the child's last run threw.
   */
  'child-gave-up': {
    readonly supervisorId: string;
    readonly childId: string;
    readonly error: RestartIntensityError;
  };
}

/** One child as `whichChildren()` reports it. */
export interface ChildInfo {
  readonly id: string;
  /** `starting`: waiting for ready; `running`; `stopping`; `stopped`: exited and not (yet) restarted. */
  readonly status: ChildStatus;
  readonly restart: 'permanent' | 'transient' | 'temporary';
  readonly kind: 'worker' | 'supervisor';
  /** Times this child was restarted during the supervisor's current run. */
  readonly restarts: number;
}

export const childStatuses = ['starting', 'running', 'stopping', 'stopped'] as const;
export type ChildStatus = (typeof childStatuses)[number];

/** Counts as `countChildren()` reports them (OTP's `count_children`). */
export interface ChildCounts {
  /** Children known to the supervisor, running or not. */
  readonly specs: number;
  /** Children running now. */
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}
