import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertMessage } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { messageHtml } from '../html.js';
import { sendHttp } from '../http.js';
import { plainText } from '../text.js';
import { endpointUrl, joinUrl, secret } from '../url.js';

const schema = z.strictObject({
  /** The homeserver's client-server API base, e.g. `https://matrix.example.org`. */
  homeserverUrl: endpointUrl,
  /** A bot user's access token (`Authorization: Bearer`). */
  accessToken: secret('accessToken'),
  /** The room's id (`!abc123:example.org`, not an `#alias`: the bot must have joined it). */
  roomId: z
    .string()
    .regex(/^![^:\s]+:\S+$/, { message: 'is not a room id like !abc123:example.org' }),
  /** `m.notice` (default: a bot's message, no replies expected) or `m.text`. */
  msgtype: z.enum(['m.notice', 'm.text']).default('m.notice'),
});

/** An `m.room.message` event and the transaction id it is sent under. */
export interface MatrixPayload {
  /** Derived from the message, so a retried send is the same transaction and the room gets it once. */
  readonly txnId: string;
  readonly content: {
    readonly msgtype: 'm.notice' | 'm.text';
    readonly body: string;
    readonly format: 'org.matrix.custom.html';
    readonly formatted_body: string;
  };
}

/** A transaction id stable for a message: the same message (rule, events) gives the same id. */
export function transactionId(message: AlertMessage): string {
  const key = JSON.stringify([message.rule, message.events.map((e) => [e.dedupKey, e.kind, e.at])]);
  return `vigil-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Matrix client-server API: one `m.room.message` (plain and HTML bodies) per message, PUT with a txn id. */
export const matrix = defineNotifier({
  type: 'matrix',
  description: 'Matrix room message (plain text and HTML) through the client-server API',
  schema,
  render(message, config): MatrixPayload[] {
    return [
      {
        txnId: transactionId(message),
        content: {
          msgtype: config.msgtype,
          body: plainText(message, 50),
          format: 'org.matrix.custom.html',
          formatted_body: messageHtml(message, 30_000, '<br>'),
        },
      },
    ];
  },
  send(payload, config, ctx) {
    const path = `_matrix/client/v3/rooms/${encodeURIComponent(config.roomId)}/send/m.room.message/${encodeURIComponent(payload.txnId)}`;
    return sendHttp(
      {
        service: 'Matrix',
        url: joinUrl(config.homeserverUrl, path),
        method: 'PUT',
        headers: { authorization: `Bearer ${config.accessToken}` },
        body: JSON.stringify(payload.content),
        secrets: [config.accessToken],
        retryAfterFromBody: (json) => {
          const ms = (json as { retry_after_ms?: unknown }).retry_after_ms;
          return typeof ms === 'number' && ms >= 0 ? ms : undefined;
        },
      },
      ctx,
    );
  },
});
