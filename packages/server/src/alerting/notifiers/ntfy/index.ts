import { z } from 'zod';
import { severities, type AlertMessage, type Severity } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { isResolving, messageColor, plainText, truncate } from '../text.js';
import { endpointUrl, secret } from '../url.js';

const defaultPriority: Record<Severity, number> = { critical: 5, error: 4, warning: 3, info: 2 };
const TAGS = {
  red: 'rotating_light',
  green: 'white_check_mark',
  amber: 'warning',
  blue: 'information_source',
} as const;

const schema = z.strictObject({
  /** The ntfy server. Default `https://ntfy.sh`. */
  url: endpointUrl.default('https://ntfy.sh'),
  /** The topic to publish to. */
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, {
    message: 'is not a topic name (letters, digits, - and _; up to 64)',
  }),
  /** An access token (`Authorization: Bearer tk_…`) for protected topics. */
  token: secret('token').optional(),
  /** Vigil severity → ntfy priority 1–5. Default critical 5, error 4, warning 3, info 2. */
  priorityMap: z.partialRecord(z.enum(severities), z.number().int().min(1).max(5)).default({}),
  /** Tags (emoji short codes or words) added to every message. */
  tags: z.array(z.string().trim().min(1)).default([]),
});
type NtfyConfig = z.output<typeof schema>;

/** An ntfy JSON publish (`POST /` with the topic in the body). */
export interface NtfyPayload {
  readonly topic: string;
  readonly title: string;
  readonly message: string;
  readonly priority: number;
  readonly tags: readonly string[];
  readonly click?: string;
}

function priorityOf(message: AlertMessage, config: NtfyConfig): number {
  if (message.events.every(isResolving)) return 3;
  return Math.max(
    ...message.events.map((e) => config.priorityMap[e.severity] ?? defaultPriority[e.severity]),
  );
}

/** ntfy: one push per message, the worst event's priority, a colour tag; a click opens the monitor. */
export const ntfy = defineNotifier({
  type: 'ntfy',
  description: 'ntfy push notification to a topic',
  schema,
  render(message, config): NtfyPayload[] {
    const first = message.events[0];
    const click = message.events.length === 1 ? first?.monitor.url : undefined;
    return [
      {
        topic: config.topic,
        title: truncate(message.title, 250),
        message: truncate(plainText(message, 30).slice(message.title.length).trim(), 4000),
        priority: priorityOf(message, config),
        tags: [TAGS[messageColor(message)], ...config.tags],
        ...(click === undefined ? {} : { click }),
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'ntfy',
        url: config.url,
        headers: config.token === undefined ? {} : { authorization: `Bearer ${config.token}` },
        body: JSON.stringify(payload),
        secrets: [config.token],
      },
      ctx,
    );
  },
});
