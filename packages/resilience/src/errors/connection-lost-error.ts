import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/**
 * The connection dropped after the request was written and before its reply came. The peer may have run
 * it, so it is not retryable: resend it only if it is idempotent (a GET, not an INCR).
 */
export class ConnectionLostError extends VigilError {
  readonly code = 'CONNECTION_LOST' as const;
  readonly retryable = false;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    options?: VigilErrorOptions,
  ) {
    super(
      `connection to ${where} was lost after the request was sent${reason(options?.cause)}; the peer may have run it — resend only if it is idempotent`,
      options,
    );
  }
}

function reason(cause: unknown): string {
  return cause instanceof Error ? ` (${cause.message})` : '';
}
