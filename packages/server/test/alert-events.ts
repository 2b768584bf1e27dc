// Builders of alert events and messages for notifier tests.
import type { AlertEvent, AlertKind, AlertMessage } from '../src/alerting/index.js';

/** 2026-11-23T06:00:00.000Z, the wall time every fixture starts from. */
export const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);

/** One event about monitor `id`, by default a `trigger` (down) of severity `critical`. */
export function alertEvent(
  id: string,
  kind: AlertKind = 'trigger',
  extra: Partial<AlertEvent> = {},
): AlertEvent {
  const resolving = kind === 'resolve' || kind === 'flapping-resolved';
  return {
    kind,
    monitor: {
      id,
      name: `${id} service`,
      group: 'core',
      tags: ['prod', 'db'],
      kind: 'tcp',
      url: `https://vigil.example.com/monitors/${id}`,
    },
    status: resolving ? 'up' : kind === 'degraded' ? 'degraded' : 'down',
    previousStatus: resolving ? 'down' : 'up',
    reason: resolving ? 'HTTP 200 in 12 ms' : `connection refused by ${id}.internal:5432`,
    severity: kind === 'degraded' ? 'warning' : resolving ? 'info' : 'critical',
    at: T0 + 60_000,
    since: T0,
    dedupKey: `vigil-${id}`,
    details: { latencyMs: 12, attempts: 3 },
    ...extra,
  };
}

/** A message of `events` under rule `oncall`, titled after the first event or the count. */
export function alertMessage(events: readonly AlertEvent[], title?: string): AlertMessage {
  const first = events[0];
  return {
    rule: 'oncall',
    title:
      title ??
      (events.length === 1 && first !== undefined
        ? `${first.monitor.name} is ${first.kind}`
        : `${events.length} monitors changed`),
    events,
  };
}

/** `n` trigger events of monitors `m0`…`m<n-1>`. */
export function manyEvents(n: number, kind: AlertKind = 'trigger'): AlertEvent[] {
  return Array.from({ length: n }, (_, i) => alertEvent(`m${i}`, kind, { at: T0 + i }));
}

/** Freezes a value and everything in it, so a test sees a render that mutates its input fail. */
export function deepFrozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFrozen(child);
  }
  return value;
}
