import type { Status } from '../types.js';
import { checkedStatuses } from './codec.js';

/** A half-open time window [from, to), wall-clock ms. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** A stored status period (one row of `incidents`). */
export interface PeriodRow {
  readonly status: Status;
  readonly startedAt: number;
  /** When the next status began, or the monitor went unobserved; `null` while open. */
  readonly endedAt: number | null;
  /** Time of the last result seen in the period; `null` before the first. */
  readonly lastSeenAt: number | null;
}

/**
 * Time-weighted uptime over a window. Durations in ms. `uptime` is (up + degraded) / observed, where
 * observed = up + degraded + down: pending (not yet confirmed), maintenance, paused and time with no
 * results at all are not observed. `null` when nothing was observed.
 */
export interface Uptime extends TimeRange {
  readonly upMs: number;
  readonly degradedMs: number;
  readonly downMs: number;
  readonly pendingMs: number;
  readonly maintenanceMs: number;
  readonly pausedMs: number;
  readonly observedMs: number;
  readonly uptime: number | null;
}

/**
 * Where a period ends for accounting. A closed period ends at its `endedAt`. An open period of a checked
 * status (up, down, degraded, pending) is observed until its last result — after that, until a new result
 * arrives, nothing is known; an open paused or maintenance period lasts until `now`.
 */
export function effectiveEnd(row: PeriodRow, now: number): number {
  if (row.endedAt !== null) return row.endedAt;
  if (checkedStatuses.includes(row.status))
    return Math.max(row.startedAt, row.lastSeenAt ?? row.startedAt);
  return Math.max(row.startedAt, now);
}

/**
 * Adds up the time each status held within `range`. `rows` are one monitor's periods in start order;
 * each is also cut at the next one's start, so overlapping rows (a wall clock stepped back) never count
 * twice.
 */
export function uptimeOf(rows: readonly PeriodRow[], range: TimeRange, now: number): Uptime {
  const ms: Record<Status, number> = {
    up: 0,
    down: 0,
    degraded: 0,
    pending: 0,
    maintenance: 0,
    paused: 0,
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as PeriodRow;
    const next = rows[i + 1];
    let end = Math.min(effectiveEnd(row, now), range.to);
    if (next !== undefined) end = Math.min(end, next.startedAt);
    const start = Math.max(row.startedAt, range.from);
    if (end > start) ms[row.status] += end - start;
  }
  const observedMs = ms.up + ms.degraded + ms.down;
  return {
    from: range.from,
    to: range.to,
    upMs: ms.up,
    degradedMs: ms.degraded,
    downMs: ms.down,
    pendingMs: ms.pending,
    maintenanceMs: ms.maintenance,
    pausedMs: ms.paused,
    observedMs,
    uptime: observedMs === 0 ? null : (ms.up + ms.degraded) / observedMs,
  };
}
