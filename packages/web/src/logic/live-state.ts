import type { LiveMessage, LiveResult, MonitorSummary, Status } from '../types';
import { pushBounded } from './reconnect';

/** A status change, for the ticker. */
export interface Change {
  readonly id: string;
  readonly name: string;
  readonly from: Status | undefined;
  readonly to: Status;
  readonly reason: string;
  /** When the browser learnt of it (ms). */
  readonly at: number;
}

/** What applying one message changed. */
export interface Applied {
  /** Any monitor's summary changed (or a snapshot replaced them all): the board re-renders. */
  readonly monitors: boolean;
  readonly results: readonly LiveResult[];
}

/**
 * The board's picture of the live feed: every monitor's latest summary, the last `seq` (to resume after a
 * reconnect) and the most recent status changes. Bounded: a snapshot replaces the monitors, and at most
 * `maxChanges` changes are kept, so a board left on a TV for days holds the same memory as on day one.
 */
export class LiveState {
  readonly monitors = new Map<string, MonitorSummary>();
  changes: Change[] = [];
  seq: number | undefined;
  readonly #maxChanges: number;

  constructor(maxChanges = 50) {
    this.#maxChanges = maxChanges;
  }

  apply(message: LiveMessage, now: number): Applied {
    this.seq = message.seq;
    if (message.type === 'tick') return { monitors: false, results: [] };
    if (message.type === 'snapshot') {
      const fresh: Change[] = [];
      const seen = new Set<string>();
      for (const m of message.monitors) {
        seen.add(m.id);
        const before = this.monitors.get(m.id);
        if (before !== undefined && before.status !== m.status) fresh.push(change(before, m, now));
        this.monitors.set(m.id, m);
      }
      for (const id of [...this.monitors.keys()]) if (!seen.has(id)) this.monitors.delete(id);
      this.changes = pushBounded(this.changes, fresh, this.#maxChanges);
      return { monitors: true, results: [] };
    }
    const fresh: Change[] = [];
    for (const m of message.monitors) {
      const before = this.monitors.get(m.id);
      if (before?.status !== m.status) fresh.push(change(before, m, now));
      this.monitors.set(m.id, m);
    }
    if (fresh.length > 0) this.changes = pushBounded(this.changes, fresh, this.#maxChanges);
    return { monitors: message.monitors.length > 0, results: message.results };
  }
}

function change(before: MonitorSummary | undefined, after: MonitorSummary, at: number): Change {
  return {
    id: after.id,
    name: after.name,
    from: before?.status,
    to: after.status,
    reason: after.reason,
    at,
  };
}
