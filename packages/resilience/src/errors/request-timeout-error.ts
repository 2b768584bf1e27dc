import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/**
 * A request got no reply within its timeout. `sent` tells whether it had been written: an unsent one never
 * reached the peer (retryable); a sent one may still run there, and its late reply is read and dropped.
 */
export class RequestTimeoutError extends VigilError {
  readonly code = 'REQUEST_TIMEOUT' as const;
  readonly retryable: boolean;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    readonly timeoutMs: number,
    /** True when the request had been written to the peer. */
    readonly sent: boolean,
    options?: VigilErrorOptions,
  ) {
    const cause = options?.cause;
    super(
      sent
        ? `request to ${where} got no reply within ${timeoutMs} ms; the peer is slow or stuck and may still run it — raise timeoutMs or check the peer`
        : `request to ${where} timed out after ${timeoutMs} ms before it could be sent (not connected${cause instanceof Error ? `: ${cause.message}` : ''}); check that the peer is up and reachable`,
      options,
    );
    this.retryable = !sent;
  }
}
