import type { AlertEvent, AlertKind, AlertMessage } from '../alert.js';

/** What each kind of alert is called in messages. */
export const kindLabels: Readonly<Record<AlertKind, string>> = {
  trigger: 'DOWN',
  resolve: 'RESOLVED',
  degraded: 'DEGRADED',
  flapping: 'FLAPPING',
  'flapping-resolved': 'STABLE',
  certificate: 'CERTIFICATE EXPIRING',
  reminder: 'STILL DOWN',
  test: 'TEST',
};

/** Kinds that end an alert (PagerDuty `resolve`, Opsgenie close). */
export function isResolving(event: AlertEvent): boolean {
  return event.kind === 'resolve' || event.kind === 'flapping-resolved';
}

/** A colour per kind, for channels that show one (Slack, Discord, Teams): red, green, amber, blue. */
export function colorOf(event: AlertEvent): 'red' | 'green' | 'amber' | 'blue' {
  if (isResolving(event)) return 'green';
  if (event.kind === 'test' || event.severity === 'info') return 'blue';
  if (event.kind === 'trigger' || event.kind === 'reminder') return 'red';
  return 'amber';
}

/** A message's overall colour: the worst of its events. */
export function messageColor(message: AlertMessage): 'red' | 'green' | 'amber' | 'blue' {
  const colors = message.events.map(colorOf);
  for (const c of ['red', 'amber', 'blue'] as const) if (colors.includes(c)) return c;
  return 'green';
}

/** An ISO 8601 UTC timestamp of a wall time in ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `api (web) is DOWN: connection refused by 10.0.0.5:5432` — one event on one line. */
export function eventLine(event: AlertEvent): string {
  const where = event.monitor.group === '' ? '' : ` (${event.monitor.group})`;
  const reason = event.reason === '' ? '' : `: ${event.reason}`;
  return `${event.monitor.name}${where} is ${kindLabels[event.kind]}${reason}`;
}

/** The facts of one event as label → value pairs, in a fixed order. */
export function eventFacts(event: AlertEvent): [string, string][] {
  const facts: [string, string][] = [
    ['Monitor', `${event.monitor.name} (${event.monitor.id})`],
    ['Status', `${event.previousStatus} → ${event.status}`],
    ['Severity', event.severity],
    ['Group', event.monitor.group],
    ['Since', iso(event.since)],
  ];
  if (event.monitor.tags.length > 0) facts.push(['Tags', event.monitor.tags.join(', ')]);
  for (const [key, value] of Object.entries(event.details ?? {}))
    facts.push([key, value === null ? 'null' : String(value)]);
  return facts;
}

/**
 * The events a channel lists, at most `max`, and how many more there are: a partition of 1,000 monitors
 * is one message naming the first few and counting the rest.
 */
export function listed(
  message: AlertMessage,
  max: number,
): { shown: readonly AlertEvent[]; more: number } {
  const shown = message.events.slice(0, max);
  return { shown, more: message.events.length - shown.length };
}

/** `…and 988 more`. */
export function moreLine(more: number): string {
  return `…and ${more} more`;
}

/** The message as plain text: its title, then one line per event (at most `max`). */
export function plainText(message: AlertMessage, max = 50): string {
  const { shown, more } = listed(message, max);
  const lines = shown.map((e) => `- ${eventLine(e)}`);
  if (more > 0) lines.push(moreLine(more));
  return `${message.title}\n\n${lines.join('\n')}`;
}

/** Cuts a text to `max` characters, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes `&`, `<`, `>` and `"` for HTML (Telegram, Matrix, email). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
