import type { ChildCounts, Exit } from '../supervision/index.js';
import type { FlagEvaluation } from './evaluation.js';

/** Why the flag supervisor stopped a child. */
export const flagStopReasons = ['flag-off', 'removed', 'shutdown'] as const;
export type FlagStopReason = (typeof flagStopReasons)[number];

interface FlagChildEvent {
  readonly supervisorId: string;
  readonly childId: string;
  readonly flag: string;
}

/** Events of a flag supervisor. */
export interface FlagSupervisorEvents {
  /**
   * A child's flag evaluation changed: its value, or whether it fell back (the flag became unavailable or
   * available again). Also sent for each child's first evaluation, with `previous` undefined.
   */
  'flag-changed': FlagChildEvent & {
    readonly on: boolean;
    readonly previous: boolean | undefined;
    readonly evaluation: FlagEvaluation;
  };
  /** A child started (and signalled ready, when it waits for ready); `restarts` > 0 after an exit. */
  started: FlagChildEvent & { readonly restarts: number };
  /** The supervisor stopped a child: its flag went off, it was removed, or the supervisor is stopping. */
  stopped: FlagChildEvent & { readonly exit: Exit; readonly reason: FlagStopReason };
  /** A child exited on its own; `restarting` says whether it is within its intensity and restarted. */
  exited: FlagChildEvent & { readonly exit: Exit; readonly restarting: boolean };
  /** A child exited once too often for its intensity: it stays down until its flag is cycled. */
  crashed: FlagChildEvent & { readonly exit: Exit; readonly restarts: number };
}

/** Counts as `countChildren()` reports them. */
export interface FlagChildCounts extends ChildCounts {
  /** Children whose flag is off. */
  readonly disabled: number;
  /** Children down after crashing past their intensity. */
  readonly crashed: number;
}
