import { VigilError } from './vigil-error.js';

/** A child failed while starting (it crashed before it signalled ready); `cause` is its error. */
export class StartFailedError extends VigilError {
  readonly code = 'START_FAILED' as const;
  readonly retryable = true;

  constructor(
    readonly supervisorId: string,
    readonly childId: string,
    cause: unknown,
  ) {
    super(
      `child "${childId}" of supervisor "${supervisorId}" failed to start: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
