import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';
import type { AmqpTarget } from './target.js';

/** What the check was doing when an error came: opening the connection, or inspecting the queue. */
export type AmqpStage = 'connect' | { readonly queue: string };

/** An AMQP channel or connection error as amqplib raises it (`code` is the AMQP reply code). */
interface AmqpReplyError extends Error {
  readonly code?: number | string;
}

/** Framing errors amqplib raises when the peer does not speak AMQP 0-9-1. */
const NOT_AMQP =
  /Frame size \d+ exceeds|Unknown frame|Invalid frame|Expected Connection\w+; got|Frame on channel|SASL mechanism/;

/** A specific, human message for an error met while checking an AMQP broker. Never names the password. */
export function describeAmqpError(
  error: unknown,
  target: AmqpTarget,
  stage: AmqpStage,
  ctx: CheckContext,
): string {
  const { label } = target;
  if (ctx.signal.aborted || !(error instanceof Error)) return describeError(error, label, ctx);
  const { code, message } = error as AmqpReplyError;
  if (stage !== 'connect' && typeof code === 'number')
    return queueError(code, message, stage.queue, target);
  if (message.startsWith('Handshake terminated by server: 403'))
    return `login refused by ${label} for user "${target.username}" (ACCESS_REFUSED)`;
  if (message.includes('Expected ConnectionOpenOk; got <ConnectionClose'))
    return `vhost "${target.vhost}" not found or not allowed for user "${target.username}" (${label})`;
  if (message.startsWith('Handshake terminated by server'))
    return `${label} ended the handshake: ${message.replace(/^Handshake terminated by server: /, '')}`;
  if (message.startsWith('Socket closed abruptly during opening handshake'))
    return `${label} closed the connection during the AMQP handshake (is it an AMQP 0-9-1 broker?)`;
  if (stage === 'connect' && code === 'ECONNRESET')
    return `connection reset by ${label} during the AMQP handshake (is it an AMQP 0-9-1 broker?)`;
  if (NOT_AMQP.test(message)) return `${label} did not answer with AMQP 0-9-1 (${message})`;
  return describeError(error, label, ctx);
}

function queueError(code: number, message: string, queue: string, target: AmqpTarget): string {
  const where = `on vhost "${target.vhost}" (${target.label})`;
  if (code === 404) return `queue "${queue}" not found ${where}`;
  if (code === 403)
    return `access to queue "${queue}" refused for user "${target.username}" ${where}`;
  const text = /with message "(.*)"$/.exec(message)?.[1] ?? message;
  return `queue "${queue}" ${where}: ${text}`;
}
