import type { Status } from '../engine/index.js';

/**
 * What an alert says happened to a monitor. `trigger`: it went down (after its failure threshold).
 * `resolve`: it is up again. `degraded`: it went amber. `flapping` / `flapping-resolved`: it changed
 * status too often within the window / it is stable again. `certificate`: a certificate is close to
 * expiry. `reminder`: it is still down. `test`: sent by `vigil notify test`.
 */
export const alertKinds = [
  'trigger',
  'resolve',
  'degraded',
  'flapping',
  'flapping-resolved',
  'certificate',
  'reminder',
  'test',
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const severities = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/** The monitor an alert is about, as notifiers show it. */
export interface AlertMonitor {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly tags: readonly string[];
  readonly kind: string;
  /** Link to the monitor on the board, when the server's public URL is known. */
  readonly url?: string;
}

/** One alert about one monitor. JSON-serialisable: it is stored in the outbox as is. */
export interface AlertEvent {
  readonly kind: AlertKind;
  readonly monitor: AlertMonitor;
  /** The status now, and before the change that raised the alert. */
  readonly status: Status;
  readonly previousStatus: Status;
  /** Why, in the engine's words (`connection refused by 10.0.0.5:5432`). */
  readonly reason: string;
  readonly severity: Severity;
  /** When it happened, wall ms. */
  readonly at: number;
  /** When the current status began, wall ms. */
  readonly since: number;
  /**
   * Stable per monitor (and notifier), so a receiver pairs a `resolve` with its `trigger` and drops
   * duplicates (PagerDuty's `dedup_key`, Opsgenie's `alias`).
   */
  readonly dedupKey: string;
  /** Small facts for the message: latency, value, certificate days left. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * What a notifier renders: one or more events of one routing rule that fell due together (grouping, as
 * Alertmanager does: a partition of 1,000 monitors is one message, not 1,000).
 */
export interface AlertMessage {
  /** The routing rule that matched, or `test`. */
  readonly rule: string;
  /** One short line: `api is DOWN`, `12 monitors down in web`. */
  readonly title: string;
  /** In time order; never empty. */
  readonly events: readonly AlertEvent[];
}
