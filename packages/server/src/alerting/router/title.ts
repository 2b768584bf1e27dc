import type { AlertEvent, AlertKind } from '../alert.js';

const phrase: Record<AlertKind, string> = {
  trigger: 'is DOWN',
  resolve: 'is UP again',
  degraded: 'is DEGRADED',
  flapping: 'is FLAPPING',
  'flapping-resolved': 'is stable again',
  certificate: 'has a certificate close to expiry',
  reminder: 'is still DOWN',
  test: 'test message from Vigil',
};

const plural: Record<AlertKind, string> = {
  trigger: 'down',
  resolve: 'up again',
  degraded: 'degraded',
  flapping: 'flapping',
  'flapping-resolved': 'stable again',
  certificate: 'with certificates close to expiry',
  reminder: 'still down',
  test: 'test',
};

/** One line for a message: `api is DOWN`, or `12 down, 3 up again (rule web)` for a group. */
export function titleOf(rule: string, events: readonly AlertEvent[]): string {
  const [first] = events;
  if (first === undefined) return `no alerts (rule ${rule})`;
  if (events.length === 1) return `${first.monitor.name} ${phrase[first.kind]}`;
  const counts = new Map<AlertKind, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const parts = [...counts].map(
    ([kind, n]) => `${n} ${n === 1 ? 'monitor' : 'monitors'} ${plural[kind]}`,
  );
  return `${parts.join(', ')} (rule ${rule})`;
}
