import type { AlertEvent } from './alert.js';

/** What an outbox row of an alert carries: the event, the rule that routed it, and its group. */
export interface AlertPayload {
  /** Name of the routing rule. */
  readonly rule: string;
  /**
   * Rows with the same notifier and group go out as one message (the rule's `groupWait`); `null` sends
   * the row on its own.
   */
  readonly group: string | null;
  readonly event: AlertEvent;
}

/** True for the payload of an alert row (rows are JSON from the store: check before use). */
export function isAlertPayload(value: unknown): value is AlertPayload {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const event = v.event as Record<string, unknown> | null | undefined;
  return (
    typeof v.rule === 'string' &&
    (v.group === null || typeof v.group === 'string') &&
    event !== null &&
    typeof event === 'object' &&
    typeof event.kind === 'string' &&
    typeof event.monitor === 'object'
  );
}
