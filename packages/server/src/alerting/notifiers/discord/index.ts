import { z } from 'zod';
import type { AlertEvent, AlertMessage } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { secondsToMs } from '../retry-after.js';
import { colorOf, iso, kindLabels, listed, messageColor, moreLine, truncate } from '../text.js';
import { endpointUrl, urlSecrets } from '../url.js';

const schema = z.strictObject({
  /** The channel webhook URL (`https://discord.com/api/webhooks/<id>/<token>`); a secret. */
  webhookUrl: endpointUrl,
  /** Overrides the webhook's name and avatar. */
  username: z.string().trim().min(1).max(80).optional(),
  avatarUrl: endpointUrl.optional(),
});

const COLORS = { red: 0xe01e5a, green: 0x2eb67d, amber: 0xecb22e, blue: 0x36c5f0 } as const;
/** Discord allows 10 embeds a message; a grouped message shows 9 events and a 10th counting the rest. */
const MAX_EMBEDS = 10;

/** A Discord embed, as far as Vigil builds them. */
export interface DiscordEmbed {
  readonly title: string;
  readonly description: string;
  readonly color: number;
  readonly url?: string;
  readonly timestamp?: string;
  readonly fields?: readonly { name: string; value: string; inline: boolean }[];
  readonly footer?: { text: string };
}

/** A webhook execution: `content` is the message's title; mentions are disabled. */
export interface DiscordPayload {
  readonly content: string;
  readonly embeds: readonly DiscordEmbed[];
  readonly username?: string;
  readonly avatar_url?: string;
  readonly allowed_mentions: { readonly parse: readonly string[] };
}

function embedOf(event: AlertEvent, rule: string): DiscordEmbed {
  return {
    title: truncate(`${event.monitor.name} is ${kindLabels[event.kind]}`, 256),
    description: truncate(event.reason === '' ? '—' : event.reason, 500),
    color: COLORS[colorOf(event)],
    ...(event.monitor.url === undefined ? {} : { url: event.monitor.url }),
    timestamp: iso(event.at),
    fields: [
      { name: 'Status', value: `${event.previousStatus} → ${event.status}`, inline: true },
      { name: 'Group', value: truncate(event.monitor.group || '—', 200), inline: true },
      { name: 'Severity', value: event.severity, inline: true },
    ],
    footer: { text: truncate(`Vigil · ${rule}`, 200) },
  };
}

function moreEmbed(message: AlertMessage, rest: readonly AlertEvent[]): DiscordEmbed {
  const names = rest.map((e) => `${e.monitor.name}: ${kindLabels[e.kind]}`);
  let description = '';
  for (const [i, name] of names.entries()) {
    const line = `${name}\n`;
    if (description.length + line.length > 900) {
      description += moreLine(names.length - i);
      break;
    }
    description += line;
  }
  return {
    title: moreLine(rest.length),
    description: description.trim(),
    color: COLORS[messageColor(message)],
  };
}

/** Discord channel webhook: the title as content and one embed per event (up to 10 embeds). */
export const discord = defineNotifier({
  type: 'discord',
  description: 'Discord channel webhook with one embed per event',
  schema,
  render(message, config): DiscordPayload[] {
    const fits = message.events.length <= MAX_EMBEDS;
    const { shown } = listed(message, fits ? MAX_EMBEDS : MAX_EMBEDS - 1);
    const embeds = shown.map((e) => embedOf(e, message.rule));
    if (!fits) embeds.push(moreEmbed(message, message.events.slice(shown.length)));
    return [
      {
        content: truncate(message.title, 2000),
        embeds,
        ...(config.username === undefined ? {} : { username: config.username }),
        ...(config.avatarUrl === undefined ? {} : { avatar_url: config.avatarUrl }),
        allowed_mentions: { parse: [] },
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Discord',
        url: config.webhookUrl,
        body: JSON.stringify(payload),
        secrets: urlSecrets(config.webhookUrl),
        retryAfterFromBody: (json) => secondsToMs((json as { retry_after?: unknown }).retry_after),
      },
      ctx,
    );
  },
});
