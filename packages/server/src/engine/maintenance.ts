import { Cron } from 'croner';
import type { MaintenanceWindow } from '../config/index.js';
import { formatDuration } from '../config/index.js';

/** A maintenance window in force: its name and when it ends (wall ms). */
export interface ActiveWindow {
  readonly name: string;
  readonly end: number;
}

/** A window's display name: its own `name`, else a description of when it runs. */
export function windowName(window: MaintenanceWindow): string {
  if (window.name !== undefined) return window.name;
  return 'cron' in window
    ? `${window.cron}${window.timezone === undefined ? '' : ` ${window.timezone}`} for ${formatDuration(window.duration)}`
    : `${window.start} – ${window.end}`;
}

/** The occurrence of a recurring window that covers `now`, if any: one that started in (now − duration, now]. */
function cronOccurrence(
  window: Extract<MaintenanceWindow, { cron: string }>,
  now: number,
): number | undefined {
  const cron = new Cron(window.cron, {
    paused: true,
    ...(window.timezone === undefined ? {} : { timezone: window.timezone }),
  });
  const start = cron.nextRun(new Date(now - window.duration))?.getTime();
  return start !== undefined && start <= now ? start : undefined;
}

/** The window in force at wall time `now` (the one ending last when several overlap), if any. */
export function activeWindow(
  windows: readonly MaintenanceWindow[],
  now: number,
): ActiveWindow | undefined {
  let active: ActiveWindow | undefined;
  for (const window of windows) {
    let end: number | undefined;
    if ('cron' in window) {
      const start = cronOccurrence(window, now);
      if (start !== undefined) end = start + window.duration;
    } else if (Date.parse(window.start) <= now && now < Date.parse(window.end)) {
      end = Date.parse(window.end);
    }
    if (end !== undefined && (active === undefined || end > active.end))
      active = { name: windowName(window), end };
  }
  return active;
}

/** The next wall time after `now` at which a window opens or closes, if any. */
export function nextBoundary(
  windows: readonly MaintenanceWindow[],
  now: number,
): number | undefined {
  let next: number | undefined;
  const consider = (t: number | undefined): void => {
    if (t !== undefined && t > now && (next === undefined || t < next)) next = t;
  };
  for (const window of windows) {
    if ('cron' in window) {
      const cron = new Cron(window.cron, {
        paused: true,
        ...(window.timezone === undefined ? {} : { timezone: window.timezone }),
      });
      consider(cron.nextRun(new Date(now))?.getTime());
      const current = cronOccurrence(window, now);
      if (current !== undefined) consider(current + window.duration);
    } else {
      consider(Date.parse(window.start));
      consider(Date.parse(window.end));
    }
  }
  return next;
}
