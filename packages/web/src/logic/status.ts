import type { MonitorSummary, Status } from '../types';

/** How the board shows a status: never by colour alone, always with an icon and a word. */
export interface StatusLook {
  readonly label: string;
  /** A glyph that reads without colour (and in a monochrome screenshot). */
  readonly icon: string;
  /** Sort rank: problems first. */
  readonly rank: number;
}

export const statusLook: Readonly<Record<Status, StatusLook>> = {
  down: { label: 'Down', icon: '✖', rank: 0 },
  degraded: { label: 'Degraded', icon: '▲', rank: 1 },
  pending: { label: 'Pending', icon: '◌', rank: 2 },
  maintenance: { label: 'Maintenance', icon: '⚒', rank: 3 },
  paused: { label: 'Paused', icon: '⏸', rank: 4 },
  up: { label: 'Up', icon: '✔', rank: 5 },
};

/** Statuses that count as a problem for the "problems only" view. */
export function isProblem(status: Status): boolean {
  return status === 'down' || status === 'degraded' || status === 'pending';
}

/** How many monitors are in each status. */
export function countByStatus(monitors: Iterable<MonitorSummary>): Record<Status, number> {
  const counts: Record<Status, number> = {
    up: 0,
    down: 0,
    pending: 0,
    degraded: 0,
    maintenance: 0,
    paused: 0,
  };
  for (const m of monitors) counts[m.status] += 1;
  return counts;
}
