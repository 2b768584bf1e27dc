import { VigilError, type VigilErrorOptions } from '@vigil/resilience';

/** The database cannot be reached or used right now (refused, timed out, starting up); retrying may help. */
export class StoreUnavailableError extends VigilError {
  readonly code = 'STORE_UNAVAILABLE' as const;
  readonly retryable = true;

  constructor(
    message: string,
    /** Where the store is: a file path or a URL without its password. */
    readonly location: string,
    options?: VigilErrorOptions,
  ) {
    super(message, options);
  }
}
