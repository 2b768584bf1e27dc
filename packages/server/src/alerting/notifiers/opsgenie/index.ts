import { z } from 'zod';
import { severities, type AlertEvent, type AlertMessage } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { eventLine, iso, isResolving, kindLabels, truncate } from '../text.js';
import { endpointUrl, joinUrl, secret } from '../url.js';

const priorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
type Priority = (typeof priorities)[number];
const defaultPriority = { critical: 'P1', error: 'P2', warning: 'P3', info: 'P5' } as const;

const schema = z.strictObject({
  /** An API integration's key, sent as `Authorization: GenieKey …`. */
  apiKey: secret('apiKey'),
  /** Default `https://api.opsgenie.com` (EU: `https://api.eu.opsgenie.com`). */
  url: endpointUrl.default('https://api.opsgenie.com'),
  /** Vigil severity → Opsgenie priority. Default critical P1, error P2, warning P3, info P5. */
  priorityMap: z.partialRecord(z.enum(severities), z.enum(priorities)).default({}),
  /** Tags added to every alert (besides the monitor's own). */
  tags: z.array(z.string().trim().min(1).max(50)).default([]),
  /** Teams to route to (`responders` of type team, by name). */
  teams: z.array(z.string().trim().min(1)).default([]),
});
type OpsgenieConfig = z.output<typeof schema>;

/** One Opsgenie Alert API call: create an alert, or close it by its alias. No key (added at send). */
export type OpsgeniePayload =
  | { readonly action: 'create'; readonly body: Readonly<Record<string, unknown>> }
  | {
      readonly action: 'close';
      readonly alias: string;
      readonly body: Readonly<Record<string, unknown>>;
    };

function create(event: AlertEvent, message: AlertMessage, config: OpsgenieConfig): OpsgeniePayload {
  const priority: Priority = config.priorityMap[event.severity] ?? defaultPriority[event.severity];
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.details ?? {})) details[key] = String(value);
  Object.assign(details, {
    alert: kindLabels[event.kind],
    status: `${event.previousStatus} → ${event.status}`,
    since: iso(event.since),
    rule: message.rule,
  });
  if (event.monitor.url !== undefined) details.link = event.monitor.url;
  const tags = [...new Set([...event.monitor.tags, ...config.tags, kindLabels[event.kind]])];
  return {
    action: 'create',
    body: {
      message: truncate(eventLine(event), 130),
      alias: truncate(event.dedupKey, 512),
      description: truncate(`${eventLine(event)}\n\n${message.title}`, 15_000),
      tags: tags.slice(0, 20).map((t) => truncate(t, 50)),
      details,
      entity: truncate(event.monitor.id, 512),
      source: 'Vigil',
      priority,
      ...(config.teams.length === 0
        ? {}
        : { responders: config.teams.map((name) => ({ type: 'team', name })) }),
    },
  };
}

/**
 * Opsgenie Alert API: creates an alert per event with the event's dedup key as `alias` (Opsgenie folds
 * repeats into the open alert), and closes it by alias on a resolve.
 */
export const opsgenie = defineNotifier({
  type: 'opsgenie',
  description: 'Opsgenie alerts: created and closed by alias, one per monitor',
  schema,
  render(message, config): OpsgeniePayload[] {
    return message.events.map((event) =>
      isResolving(event)
        ? {
            action: 'close',
            alias: event.dedupKey,
            body: { source: 'Vigil', note: truncate(eventLine(event), 25_000) },
          }
        : create(event, message, config),
    );
  },
  send(payload, config, ctx) {
    const path =
      payload.action === 'create'
        ? 'v2/alerts'
        : `v2/alerts/${encodeURIComponent(payload.alias)}/close?identifierType=alias`;
    return sendHttp(
      {
        service: 'Opsgenie',
        url: joinUrl(config.url, path),
        headers: { authorization: `GenieKey ${config.apiKey}` },
        body: JSON.stringify(payload.body),
        secrets: [config.apiKey],
      },
      ctx,
    );
  },
});
