import { formatDuration } from '../../config/index.js';
import type { CheckContext } from '../check-kind.js';
import { describeError } from '../result.js';
import { isCaFileError } from './ca-file-error.js';
import type { SqlDriver, Stage } from './driver.js';
import type { WireState } from './wire-guard.js';

/** Everything known about a failed run, to word its message. */
export interface FailedRun {
  readonly error: unknown;
  /** `host:port` */
  readonly target: string;
  readonly ctx: CheckContext;
  readonly driver: SqlDriver;
  readonly stage: Stage;
  readonly wire: WireState | undefined;
}

/** Node's codes for certificate and TLS handshake failures. */
const TLS_ERROR_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_/;

/**
 * A specific message for a failed run: a timeout says where it stalled, a server error keeps the
 * server's words (`password authentication failed for user "x"`), a SQL error says `query failed: …`.
 */
export function describeSqlError(run: FailedRun): string {
  const { error, target, ctx, driver, stage, wire } = run;
  if (ctx.signal.aborted) return timedOut(run);
  if (wire?.violation !== undefined) return wire.violation.message;
  if (isCaFileError(error)) return error.message;
  const known = driver.classify(error);
  switch (known?.kind) {
    case 'server':
      return stage === 'query' ? `query failed: ${known.message}` : `${known.message} (${target})`;
    case 'lost':
      return stage === 'query'
        ? `${target} closed the connection during the query`
        : `${target} closed the connection during the ${driver.protocol} handshake`;
    case 'no-ssl':
      return `${target} does not accept SSL connections (set ssl: off, or enable SSL on the server)`;
    case 'tls':
      return tlsFailed(target, known.message);
    case undefined:
      break;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TLS_ERROR_CODE.test(code) && error instanceof Error)
    return tlsFailed(target, error.message);
  return describeError(error, target, ctx);
}

const tlsFailed = (target: string, reason: string): string =>
  `TLS handshake with ${target} failed: ${reason}`;

function timedOut({ target, ctx, driver, stage, wire }: FailedRun): string {
  const limit = `timed out after ${formatDuration(ctx.timeoutMs)}`;
  if (stage === 'query') return `${limit} (query still running on ${target})`;
  if (wire === undefined || !wire.tcpConnected) return `${limit} (connecting to ${target})`;
  if (!wire.answered) return `${limit} (${target} accepted the connection but never answered)`;
  return `${limit} (${target} did not complete the ${driver.protocol} handshake)`;
}

/**
 * `message` with every occurrence of `secret` (and its URL-encoded form) masked. Drivers and servers
 * should never echo a password; this makes sure a result never carries one if they do.
 */
export function redact(message: string, secret: string): string {
  if (secret.length < 3) return message;
  let out = message;
  for (const form of new Set([secret, encodeURIComponent(secret)]))
    out = out.split(form).join('***');
  return out;
}
