import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';
import { isCertificateError } from './certificate-error.js';
import type { SocketStage } from './socket.js';

const DOING: Readonly<Record<SocketStage, (target: string, host: string) => string>> = {
  dns: (_target, host) => `resolving ${host}`,
  connect: (target) => `connecting to ${target}`,
  tls: (target) => `in the TLS handshake with ${target}`,
  ready: (target) => `talking to ${target}`,
};

/**
 * A specific message for an error met while opening a socket to `target` (`host:port`): a timeout names
 * the stage it was in, a refused certificate names why, a failed handshake names OpenSSL's reason.
 */
export function describeSocketError(
  error: unknown,
  stage: SocketStage,
  target: string,
  ctx: CheckContext,
): string {
  const host = target.replace(/:\d+$/, '');
  if (ctx.signal.aborted)
    return `timed out after ${formatDuration(ctx.timeoutMs)} ${DOING[stage](target, host)}`;
  if (isCertificateError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTFOUND') return `cannot resolve ${host} (ENOTFOUND: no such host)`;
  if (code === 'EAI_AGAIN') return `cannot resolve ${host} (EAI_AGAIN: DNS lookup timed out)`;
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && code?.startsWith('ERR_SSL_') === true)
    return `TLS handshake with ${target} failed: ${reason}${reason.includes('wrong version') || reason.includes('packet length') ? ' (is it a TLS port?)' : ''}`;
  if (stage === 'tls' && code === 'ECONNRESET')
    return `${target} closed the connection during the TLS handshake`;
  return describeError(error, target, ctx);
}
