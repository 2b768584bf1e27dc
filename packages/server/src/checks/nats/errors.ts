import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';

/** What the check was doing when the error came. */
export type NatsStage =
  'connect' | { readonly waitingFor: 'a reply' | 'the message'; readonly subject: string };

/** nats.js errors carry a string `code` and sometimes the system error behind them. */
interface NatsLikeError extends Error {
  readonly code?: string;
  readonly chainedError?: Error;
}

/** A specific, human message for an error met while checking a NATS server. Never names a secret. */
export function describeNatsError(
  error: unknown,
  label: string,
  stage: NatsStage,
  ctx: CheckContext,
): string {
  if (!(error instanceof Error)) return describeError(error, label, ctx);
  const { code, chainedError, message } = error as NatsLikeError;
  if (ctx.signal.aborted || code === 'TIMEOUT') {
    const limit = `timed out after ${formatDuration(ctx.timeoutMs)}`;
    if (stage === 'connect') return `${limit} (${label})`;
    return `${limit} waiting for ${stage.waitingFor} on "${stage.subject}" (${label})`;
  }
  if (code === '503' && stage !== 'connect')
    return `no responders on "${stage.subject}" (${label})`;
  if (code === 'AUTHORIZATION_VIOLATION')
    return `${label} refused the login: authorization violation (check user/password or token)`;
  if (code === 'PERMISSIONS_VIOLATION')
    return `${label} refused: ${message.replace(/^'(.*)'$/, '$1')}`;
  if (code === 'CONNECTION_REFUSED')
    return chainedError === undefined
      ? `connection refused by ${label}`
      : describeError(chainedError, label, ctx);
  if (message === 'unexpected response from server' || error instanceof SyntaxError)
    return `${label} did not answer with NATS (${message})`;
  if (code === 'CONNECTION_CLOSED' || code === 'DISCONNECT')
    return `${label} closed the connection${stage === 'connect' ? '' : ` waiting for ${stage.waitingFor} on "${stage.subject}"`}`;
  return describeError(error, label, ctx);
}
