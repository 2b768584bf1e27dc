import { z } from 'zod';
import { severities, type AlertEvent, type AlertMessage, type Severity } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { eventLine, iso, isResolving, kindLabels, truncate } from '../text.js';
import { endpointUrl, secret } from '../url.js';

/** PagerDuty's event severities. */
export const pagerDutySeverities = ['critical', 'error', 'warning', 'info'] as const;
type PagerDutySeverity = (typeof pagerDutySeverities)[number];

const schema = z.strictObject({
  /** The integration's routing key (Events API v2), e.g. `${PAGERDUTY_ROUTING_KEY}`. */
  routingKey: secret('routingKey'),
  /** Default `https://events.pagerduty.com/v2/enqueue` (EU accounts: events.eu.pagerduty.com). */
  url: endpointUrl.default('https://events.pagerduty.com/v2/enqueue'),
  /** `payload.source`: where the alerts come from. Default `vigil`. */
  source: z.string().trim().min(1).default('vigil'),
  /** Vigil severity → PagerDuty severity; unmapped ones keep their name (the two sets are equal). */
  severityMap: z.partialRecord(z.enum(severities), z.enum(pagerDutySeverities)).default({}),
});
type PagerDutyConfig = z.output<typeof schema>;

/** One Events API v2 event, without the routing key (added at send: payloads are stored). */
export interface PagerDutyEvent {
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component: string;
    readonly group: string;
    readonly class: string;
    readonly custom_details: Readonly<Record<string, unknown>>;
  };
  readonly links?: readonly { readonly href: string; readonly text: string }[];
  readonly client: string;
  readonly client_url?: string;
}

function severityOf(severity: Severity, config: PagerDutyConfig): PagerDutySeverity {
  return config.severityMap[severity] ?? severity;
}

function toEvent(
  event: AlertEvent,
  message: AlertMessage,
  config: PagerDutyConfig,
): PagerDutyEvent {
  const url = event.monitor.url;
  const client = { client: 'Vigil', ...(url === undefined ? {} : { client_url: url }) };
  if (isResolving(event)) return { event_action: 'resolve', dedup_key: event.dedupKey, ...client };
  return {
    event_action: 'trigger',
    dedup_key: event.dedupKey,
    payload: {
      summary: truncate(eventLine(event), 1024),
      source: config.source,
      severity: severityOf(event.kind === 'test' ? 'info' : event.severity, config),
      timestamp: iso(event.at),
      component: event.monitor.id,
      group: event.monitor.group,
      class: event.monitor.kind,
      custom_details: {
        ...event.details,
        alert: kindLabels[event.kind],
        monitor: event.monitor.name,
        status: event.status,
        previous_status: event.previousStatus,
        reason: event.reason,
        since: iso(event.since),
        tags: event.monitor.tags.join(', '),
        rule: message.rule,
        ...(message.events.length > 1 ? { message: message.title } : {}),
      },
    },
    ...(url === undefined
      ? {}
      : { links: [{ href: url, text: `${event.monitor.name} on Vigil` }] }),
    ...client,
  };
}

/**
 * PagerDuty Events API v2: one event per alert event (dedup is per monitor, so a grouped message is one
 * event per monitor), `trigger` for down, degraded, flapping, certificate and reminders (PagerDuty
 * folds a repeat into the open incident), `resolve` for up and stable; `dedup_key` is the event's, stable
 * per monitor, so a resolve closes its trigger.
 */
export const pagerduty = defineNotifier({
  type: 'pagerduty',
  description: 'PagerDuty Events API v2: trigger and resolve incidents, deduplicated per monitor',
  schema,
  render(message, config): PagerDutyEvent[] {
    return message.events.map((event) => toEvent(event, message, config));
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'PagerDuty',
        url: config.url,
        body: JSON.stringify({ routing_key: config.routingKey, ...payload }),
        secrets: [config.routingKey],
      },
      ctx,
    );
  },
});
