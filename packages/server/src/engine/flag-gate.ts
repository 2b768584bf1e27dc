import type { MonitorConfig } from '../config/index.js';
import { disable, refresh, stateWith, type TransitionContext } from './state-machine.js';
import type { Change, MonitorState } from './types.js';

/** The flag that keeps a monitor from running: its own, or its group's. */
export interface OffFlag {
  readonly flag: string;
  /** Set when the flag is the monitor's group's. */
  readonly group?: string;
}

/**
 * What the engine needs from feature flags (the server's flag gates implement it): whether a monitor may
 * run, and a signal when that may have changed. The engine never evaluates flags itself.
 */
export interface MonitorFlags {
  /** The flag that is off for this monitor (its group's first, then its own), or undefined: it may run. */
  offFlag(monitor: MonitorConfig): OffFlag | undefined;
  /** Calls `listener` after flags changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

type Step = { state: MonitorState; change: Change | null };

/** The reason shown while a flag keeps a monitor disabled. */
export function flagReason(off: OffFlag): string {
  return off.group === undefined
    ? `flag "${off.flag}" is off`
    : `flag "${off.flag}" of group "${off.group}" is off`;
}

/**
 * A flag turned off: the monitor is `disabled` (shown `paused`) and remembers which flag, so it starts
 * again when that flag is on. Counters, backoff position and last result are kept for then.
 */
export function flagDisable(prev: MonitorState, off: OffFlag, now: number): Step {
  const { state, change } = disable(prev, flagReason(off), now);
  return { state: stateWith(state, { flagOff: off.flag }), change };
}

/**
 * Its flag is on again: the monitor resumes from its stored state, as after a restart — the status its
 * counters confirm (a crash or block is forgotten: cycling the flag clears them), `backing-off` while it
 * was failing.
 */
export function flagEnable(prev: MonitorState, ctx: TransitionContext): Step {
  const base = stateWith(prev, {
    // The reason of a monitor never checked; otherwise its last result's message.
    reason: `flag "${prev.flagOff ?? ''}" is on`,
    lifecycle: prev.consecutiveFailures > 0 ? 'backing-off' : 'running',
    flagOff: undefined,
  });
  return refresh(base, ctx);
}
