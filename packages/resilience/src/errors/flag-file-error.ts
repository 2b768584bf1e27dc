import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/**
 * A flag file could not be read, parsed or validated. The file flag provider keeps serving the last valid
 * flags (or the callers' defaults when none ever loaded) and tries again when the file changes.
 */
export class FlagFileError extends VigilError {
  readonly code = 'FLAG_FILE_INVALID' as const;
  /** Fixing the file and reloading can succeed. */
  readonly retryable = true;

  constructor(
    readonly path: string,
    detail: string,
    options?: VigilErrorOptions,
  ) {
    super(`flag file ${path}: ${detail}`, options);
  }
}
