import { VigilError } from './vigil-error.js';

/**
 * A connection's queue of unsent requests is at its limit (the peer is down or not reading); the request
 * was refused at once and never sent, so trying again later is safe.
 */
export class QueueFullError extends VigilError {
  readonly code = 'QUEUE_FULL' as const;
  readonly retryable = true;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    readonly limit: number,
    options?: { readonly cause?: unknown },
  ) {
    super(
      `request to ${where} refused: ${limit} requests are already waiting to be sent (the connection is down or the peer is not reading); retry later, shed load, or raise maxQueue`,
      options,
    );
  }
}
