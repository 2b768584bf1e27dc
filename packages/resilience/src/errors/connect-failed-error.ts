import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/**
 * A connection's reconnect policy gave up: `attempts` connects failed in a row. `cause` is the last
 * failure. Queued requests fail with this error; under a supervisor the connection's task crashes.
 */
export class ConnectFailedError extends VigilError {
  readonly code = 'CONNECT_FAILED' as const;
  readonly retryable = true;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    readonly attempts: number,
    options?: VigilErrorOptions,
  ) {
    const cause = options?.cause;
    super(
      `could not connect to ${where} after ${attempts} attempt${attempts === 1 ? '' : 's'}${cause instanceof Error ? ` (last: ${cause.message})` : ''}; check that the service is up and the address is right, or loosen the reconnect policy`,
      options,
    );
  }
}
