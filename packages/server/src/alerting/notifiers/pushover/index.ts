import { z } from 'zod';
import { severities, type AlertMessage, type Severity } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { messageHtml } from '../html.js';
import { sendHttp } from '../http.js';
import { isResolving, truncate } from '../text.js';
import { endpointUrl, joinUrl, secret } from '../url.js';

const defaultPriority: Record<Severity, number> = { critical: 1, error: 1, warning: 0, info: -1 };

const schema = z.strictObject({
  /** Default `https://api.pushover.net`. */
  url: endpointUrl.default('https://api.pushover.net'),
  /** The application's API token. */
  token: secret('token'),
  /** The user or group key to notify. */
  user: secret('user'),
  /** Only this device of the user. */
  device: z.string().trim().min(1).optional(),
  /** A Pushover sound name. */
  sound: z.string().trim().min(1).optional(),
  /**
   * Vigil severity → Pushover priority −2…2. Default critical 1, error 1, warning 0, info −1. Priority 2
   * (emergency) repeats every 60 s for up to an hour until acknowledged.
   */
  priorityMap: z.partialRecord(z.enum(severities), z.number().int().min(-2).max(2)).default({}),
});
type PushoverConfig = z.output<typeof schema>;

/** A `POST /1/messages.json` body without the token and user key (added at send). */
export interface PushoverPayload {
  readonly title: string;
  readonly message: string;
  readonly html: 1;
  readonly priority: number;
  readonly timestamp: number;
  readonly retry?: number;
  readonly expire?: number;
  readonly url?: string;
  readonly url_title?: string;
  readonly device?: string;
  readonly sound?: string;
}

function priorityOf(message: AlertMessage, config: PushoverConfig): number {
  if (message.events.every(isResolving)) return 0;
  return Math.max(
    ...message.events.map((e) => config.priorityMap[e.severity] ?? defaultPriority[e.severity]),
  );
}

/** Pushover: one notification per message (HTML, 1,024 characters at most), the worst event's priority. */
export const pushover = defineNotifier({
  type: 'pushover',
  description: 'Pushover notification to a user or group',
  schema,
  render(message, config): PushoverPayload[] {
    const priority = priorityOf(message, config);
    const single = message.events.length === 1 ? message.events[0] : undefined;
    const last = message.events.at(-1);
    const html = messageHtml(message, 1024, '\n', false);
    return [
      {
        title: truncate(message.title, 250),
        message: html.slice(html.indexOf('\n') + 1).trim(),
        html: 1,
        priority,
        timestamp: Math.floor((last?.at ?? 0) / 1000),
        ...(priority === 2 ? { retry: 60, expire: 3600 } : {}),
        ...(single?.monitor.url === undefined
          ? {}
          : { url: single.monitor.url, url_title: truncate(`Open ${single.monitor.name}`, 100) }),
        ...(config.device === undefined ? {} : { device: config.device }),
        ...(config.sound === undefined ? {} : { sound: config.sound }),
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Pushover',
        url: joinUrl(config.url, '1/messages.json'),
        body: JSON.stringify({ token: config.token, user: config.user, ...payload }),
        secrets: [config.token, config.user],
        rejectOk: (text) => (/"status"\s*:\s*1\b/.test(text) ? undefined : text.slice(0, 200)),
      },
      ctx,
    );
  },
});
