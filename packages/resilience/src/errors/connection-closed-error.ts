import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/** The connection was closed (by `close()`), so the request was refused or abandoned. */
export class ConnectionClosedError extends VigilError {
  readonly code = 'CONNECTION_CLOSED' as const;
  readonly retryable = false;

  constructor(
    /** `host:port` of the peer. */
    readonly where: string,
    detail = 'the connection is closed',
    options?: VigilErrorOptions,
  ) {
    super(`request to ${where} failed: ${detail}; open a new connection to send more`, options);
  }
}
