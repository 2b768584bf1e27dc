import { z } from 'zod';
import { severities, type AlertMessage, type Severity } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { isResolving, plainText, truncate } from '../text.js';
import { endpointUrl, joinUrl, secret } from '../url.js';

const defaultPriority: Record<Severity, number> = { critical: 8, error: 7, warning: 5, info: 2 };

const schema = z.strictObject({
  /** The Gotify server, e.g. `https://gotify.example.com`. */
  url: endpointUrl,
  /** An application token (sent as `X-Gotify-Key`). */
  token: secret('token'),
  /** Vigil severity → Gotify priority 0–10. Default critical 8, error 7, warning 5, info 2. */
  priorityMap: z.partialRecord(z.enum(severities), z.number().int().min(0).max(10)).default({}),
});
type GotifyConfig = z.output<typeof schema>;

/** A Gotify `POST /message` body. */
export interface GotifyPayload {
  readonly title: string;
  readonly message: string;
  readonly priority: number;
  readonly extras: Readonly<Record<string, unknown>>;
}

function priorityOf(message: AlertMessage, config: GotifyConfig): number {
  if (message.events.every(isResolving)) return 4;
  return Math.max(
    ...message.events.map((e) => config.priorityMap[e.severity] ?? defaultPriority[e.severity]),
  );
}

/** Gotify: one message per alert message, plain text, the worst event's priority. */
export const gotify = defineNotifier({
  type: 'gotify',
  description: 'Gotify message to an application',
  schema,
  render(message, config): GotifyPayload[] {
    const url = message.events.length === 1 ? message.events[0]?.monitor.url : undefined;
    return [
      {
        title: truncate(message.title, 250),
        message: truncate(plainText(message, 50).slice(message.title.length).trim(), 10_000),
        priority: priorityOf(message, config),
        extras: {
          'client::display': { contentType: 'text/plain' },
          ...(url === undefined ? {} : { 'client::notification': { click: { url } } }),
        },
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Gotify',
        url: joinUrl(config.url, 'message'),
        headers: { 'x-gotify-key': config.token },
        body: JSON.stringify(payload),
        secrets: [config.token],
      },
      ctx,
    );
  },
});
