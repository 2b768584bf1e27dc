import { VigilError, type VigilErrorOptions } from '@vigil/resilience';

/**
 * The store cannot be opened or written and retrying will not help until someone acts: a path that is
 * not writable, a full disk, a refused password, a database that does not exist.
 */
export class StoreOpenError extends VigilError {
  readonly code = 'STORE_OPEN_FAILED' as const;
  readonly retryable = false;

  constructor(
    message: string,
    /** Where the store is: a file path or a URL without its password. */
    readonly location: string,
    options?: VigilErrorOptions,
  ) {
    super(message, options);
  }
}
