import { z } from 'zod';
import { defineNotifier } from '../../notifier.js';
import { messageHtml } from '../html.js';
import { sendHttp } from '../http.js';
import { secondsToMs } from '../retry-after.js';
import { endpointUrl, joinUrl, secret } from '../url.js';

const schema = z.strictObject({
  /** The bot's token from @BotFather (`123456:ABC-…`); it goes in the URL path, never in messages. */
  botToken: secret('botToken').regex(/^\d+:[\w-]+$/, {
    message: 'is not a bot token (123456:ABC…)',
  }),
  /** The chat: a numeric id (`-1001234567890`) or `@channelname`. */
  chatId: z.union([z.number().int(), z.string().trim().min(1)]).transform(String),
  /** Default `https://api.telegram.org` (a local Bot API server works too). */
  url: endpointUrl.default('https://api.telegram.org'),
  /** A forum topic to post in. */
  messageThreadId: z.number().int().positive().optional(),
  /** Deliver silently. Default false. */
  disableNotification: z.boolean().default(false),
});

/** A `sendMessage` call in HTML parse mode (the token is not in it: it is added at send). */
export interface TelegramPayload {
  readonly chat_id: string;
  readonly text: string;
  readonly parse_mode: 'HTML';
  readonly link_preview_options: { readonly is_disabled: true };
  readonly disable_notification: boolean;
  readonly message_thread_id?: number;
}

/** Telegram's limit on a message's text, after entities are parsed; we count the raw HTML to be safe. */
const MAX_TEXT = 4096;

/** Telegram bot `sendMessage`: one HTML message per alert message, every value escaped. */
export const telegram = defineNotifier({
  type: 'telegram',
  description: 'Telegram bot message (HTML, escaped) to a chat, channel or topic',
  schema,
  render(message, config): TelegramPayload[] {
    return [
      {
        chat_id: config.chatId,
        text: messageHtml(message, MAX_TEXT),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        disable_notification: config.disableNotification,
        ...(config.messageThreadId === undefined
          ? {}
          : { message_thread_id: config.messageThreadId }),
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Telegram',
        url: joinUrl(config.url, `bot${config.botToken}/sendMessage`),
        body: JSON.stringify(payload),
        secrets: [config.botToken],
        retryAfterFromBody: (json) =>
          secondsToMs((json as { parameters?: { retry_after?: unknown } }).parameters?.retry_after),
        rejectOk: (text) => (/"ok"\s*:\s*true/.test(text) ? undefined : text.slice(0, 200)),
      },
      ctx,
    );
  },
});
