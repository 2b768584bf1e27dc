import { VigilError } from './vigil-error.js';

/** A `Server.call` got no reply within its timeout; the message may still be handled later. */
export class CallTimeoutError extends VigilError {
  readonly code = 'CALL_TIMEOUT' as const;
  readonly retryable = true;

  constructor(
    readonly serverId: string,
    readonly timeoutMs: number,
  ) {
    super(
      `call to server "${serverId}" got no reply within ${timeoutMs} ms; the server is busy or stuck — raise the call's timeoutMs or look at what the server is doing`,
    );
  }
}
