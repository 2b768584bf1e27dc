import type { MonitorState } from '../../engine/index.js';
import type { AlertKind, Severity } from '../alert.js';

/** The severity of each kind of alert, unless the router sets one (a certificate's days left). */
export const severityOf: Record<AlertKind, Severity> = {
  trigger: 'critical',
  resolve: 'info',
  degraded: 'warning',
  flapping: 'warning',
  'flapping-resolved': 'info',
  certificate: 'warning',
  reminder: 'critical',
  test: 'info',
};

/** Alerts of a monitor under maintenance, or whose `dependsOn` parent is down, are muted. */
export function isMuted(state: MonitorState): boolean {
  return (
    state.maintenance !== undefined ||
    state.parentDown !== undefined ||
    state.status === 'maintenance'
  );
}
