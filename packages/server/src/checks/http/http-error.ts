import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';
import { describeSocketError, isCertificateError } from '../tls/index.js';
import { formatBytes } from './body.js';
import type { RunTrace } from './trace.js';

/**
 * A specific message for an error that ended an http check: a timeout names what it was waiting for,
 * connection errors name host:port, protocol errors say the peer does not speak HTTP.
 */
export function describeHttpError(error: unknown, trace: RunTrace, ctx: CheckContext): string {
  const { stage, target, url } = trace;
  if (ctx.signal.aborted) {
    const after = `timed out after ${formatDuration(ctx.timeoutMs)}`;
    if (stage === 'response') return `${after} waiting for the response from ${url}`;
    if (stage === 'body')
      return `${after} reading the body of ${url} (read ${formatBytes(trace.bodyBytes)})`;
  }
  if (stage === 'dns' || stage === 'connect' || stage === 'tls')
    return describeSocketError(trace.connectError ?? error, stage, target, ctx);
  if (isCertificateError(error)) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && error.name === 'HTTPParserError') return notHttp(error, target);
  switch (code) {
    case 'UND_ERR_SOCKET':
      return stage === 'body'
        ? `${target} closed the connection in the middle of the body of ${url} (read ${formatBytes(trace.bodyBytes)})`
        : `${target} closed the connection without responding to ${url}`;
    case 'UND_ERR_HEADERS_OVERFLOW':
      return `response headers from ${url} are too large`;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return `${url} sent a body that does not match its Content-Length`;
    default:
      return describeError(error, target, ctx);
  }
}

/** `10.0.0.1:22 did not answer with HTTP (it sent "SSH-2.0-OpenSSH_9.2\r\n")`. */
function notHttp(error: Error, target: string): string {
  const data = (error as { data?: unknown }).data;
  const sent =
    typeof data === 'string' && data !== ''
      ? `it sent ${JSON.stringify(data.length > 60 ? `${data.slice(0, 60)}…` : data)}`
      : error.message;
  return `${target} did not answer with HTTP (${sent})`;
}
