import type { AlertEvent, AlertMessage } from '../../alert.js';
import { iso, plainText } from '../text.js';

/**
 * The fields a webhook template may name as `{{field}}`. Message fields describe the whole message;
 * event fields describe its first event, or each event with `perEvent: true`.
 */
export const templateFields = [
  'rule',
  'title',
  'text',
  'count',
  'events',
  'event',
  'kind',
  'status',
  'previousStatus',
  'reason',
  'severity',
  'at',
  'since',
  'dedupKey',
  'details',
  'monitor.id',
  'monitor.name',
  'monitor.group',
  'monitor.tags',
  'monitor.kind',
  'monitor.url',
] as const;
export type TemplateField = (typeof templateFields)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const EXACT = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const known = new Set<string>(templateFields);

/** A `{{field}}` naming no known field, and where it is in the template. */
export interface TemplateProblem {
  readonly path: (string | number)[];
  readonly field: string;
}

/** Every unknown `{{field}}` in a template (a JSON value), with its path inside the template. */
export function templateProblems(
  template: unknown,
  path: (string | number)[] = [],
): TemplateProblem[] {
  if (typeof template === 'string')
    return [...template.matchAll(PLACEHOLDER)]
      .map((m) => m[1] ?? '')
      .filter((field) => !known.has(field))
      .map((field) => ({ path, field }));
  if (Array.isArray(template))
    return template.flatMap((item: unknown, i) => templateProblems(item, [...path, i]));
  if (template !== null && typeof template === 'object')
    return Object.entries(template).flatMap(([key, value]) =>
      templateProblems(value, [...path, key]),
    );
  return [];
}

/** The values of the fields for a message and the event in focus. */
export function templateValues(
  message: AlertMessage,
  event: AlertEvent,
): Readonly<Record<TemplateField, unknown>> {
  return {
    rule: message.rule,
    title: message.title,
    text: plainText(message),
    count: message.events.length,
    events: message.events,
    event,
    kind: event.kind,
    status: event.status,
    previousStatus: event.previousStatus,
    reason: event.reason,
    severity: event.severity,
    at: iso(event.at),
    since: iso(event.since),
    dedupKey: event.dedupKey,
    details: event.details ?? {},
    'monitor.id': event.monitor.id,
    'monitor.name': event.monitor.name,
    'monitor.group': event.monitor.group,
    'monitor.tags': event.monitor.tags,
    'monitor.kind': event.monitor.kind,
    'monitor.url': event.monitor.url ?? null,
  };
}

/**
 * Fills a template: a string that is exactly one `{{field}}` becomes the field's value as is (a number,
 * an array); a placeholder inside other text is replaced by the value as text (JSON for non-strings).
 * Fields were checked at config load; an unknown one is left as written.
 */
export function fillTemplate(
  template: unknown,
  values: Readonly<Record<string, unknown>>,
): unknown {
  if (typeof template === 'string') {
    const exact = EXACT.exec(template);
    if (exact !== null && (exact[1] ?? '') in values) return values[exact[1] ?? ''];
    return template.replace(PLACEHOLDER, (all, field: string) =>
      field in values ? asText(values[field]) : all,
    );
  }
  if (Array.isArray(template)) return template.map((item: unknown) => fillTemplate(item, values));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, fillTemplate(value, values)]),
    );
  return template;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}
