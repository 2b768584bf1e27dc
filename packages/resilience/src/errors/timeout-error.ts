import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/** An operation did not finish within its time limit. */
export class TimeoutError extends VigilError {
  readonly code = 'TIMEOUT' as const;
  readonly retryable = true;

  constructor(
    message: string,
    readonly timeoutMs: number,
    options?: VigilErrorOptions,
  ) {
    super(message, options);
  }
}
