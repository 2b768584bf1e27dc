import { z } from 'zod';
import type { AlertEvent, AlertMessage } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import { colorOf, eventLine, iso, kindLabels, listed, moreLine, truncate } from '../text.js';
import { endpointUrl, urlSecrets } from '../url.js';

const schema = z.strictObject({
  /** The incoming webhook URL (`https://hooks.slack.com/services/…`); it is a secret: use `${ENV}`. */
  webhookUrl: endpointUrl,
  /** Overrides the app's name and icon (where the webhook allows it). */
  username: z.string().trim().min(1).optional(),
  iconEmoji: z
    .string()
    .regex(/^:[a-z0-9_+-]+:$/, { message: 'is not an emoji code like :rotating_light:' })
    .optional(),
  /** How many events a grouped message lists before `…and N more`. Default 20 (Slack: 50 blocks). */
  maxListed: z.number().int().min(1).max(45).default(20),
});

const EMOJI = {
  red: ':red_circle:',
  green: ':large_green_circle:',
  amber: ':large_orange_circle:',
  blue: ':large_blue_circle:',
};

/** A Slack Block Kit block, as far as Vigil builds them. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: { type: 'plain_text'; text: string; emoji: true } }
  | { readonly type: 'section'; readonly text: { type: 'mrkdwn'; text: string } }
  | { readonly type: 'context'; readonly elements: readonly { type: 'mrkdwn'; text: string }[] }
  | { readonly type: 'divider' };

/** An incoming-webhook message: `text` is the notification and fallback; `blocks` are shown. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly username?: string;
  readonly icon_emoji?: string;
}

/** Escapes the three characters Slack's mrkdwn reserves. */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function eventSection(event: AlertEvent): SlackBlock {
  const name = escapeSlack(event.monitor.name);
  const link = event.monitor.url === undefined ? `*${name}*` : `*<${event.monitor.url}|${name}>*`;
  const lines = [
    `${EMOJI[colorOf(event)]} ${link} is *${kindLabels[event.kind]}* (${event.monitor.group})`,
    escapeSlack(event.reason),
    `_${event.previousStatus} → ${event.status} · since ${iso(event.since)}_`,
  ];
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } };
}

function blocksOf(message: AlertMessage, maxListed: number): SlackBlock[] {
  const { shown, more } = listed(message, maxListed);
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(message.title, 150), emoji: true },
    },
    ...shown.map(eventSection),
  ];
  if (more > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: moreLine(more) } });
  const last = message.events.at(-1);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Vigil · rule *${escapeSlack(message.rule)}* · ${message.events.length} event${message.events.length === 1 ? '' : 's'}${last === undefined ? '' : ` · ${iso(last.at)}`}`,
      },
    ],
  });
  return blocks;
}

/** Slack incoming webhook: one message per alert message, in Block Kit (a header, a section per event). */
export const slack = defineNotifier({
  type: 'slack',
  description: 'Slack incoming webhook, one Block Kit message per alert message',
  schema,
  render(message, config): SlackPayload[] {
    const first = message.events[0];
    const text =
      message.events.length === 1 && first !== undefined ? eventLine(first) : message.title;
    return [
      {
        text: truncate(escapeSlack(text), 3000),
        blocks: blocksOf(message, config.maxListed),
        ...(config.username === undefined ? {} : { username: config.username }),
        ...(config.iconEmoji === undefined ? {} : { icon_emoji: config.iconEmoji }),
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Slack',
        url: config.webhookUrl,
        body: JSON.stringify(payload),
        secrets: urlSecrets(config.webhookUrl),
      },
      ctx,
    );
  },
});
