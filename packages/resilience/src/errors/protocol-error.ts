import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/**
 * The peer sent bytes the codec rejects, or a reply no request asked for. The connection is dropped and
 * reconnected; requests that were in flight on it fail with this error (they may have run).
 */
export class ProtocolError extends VigilError {
  readonly code = 'PROTOCOL_ERROR' as const;
  readonly retryable = false;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    detail: string,
    options?: VigilErrorOptions,
  ) {
    super(
      `protocol error from ${where}: ${detail}; reconnecting — check that the port runs the expected service and protocol version`,
      options,
    );
  }
}
