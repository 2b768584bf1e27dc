import { VigilError } from './vigil-error.js';

/** A child with this id already exists under the supervisor. */
export class AlreadyStartedError extends VigilError {
  readonly code = 'ALREADY_STARTED' as const;
  readonly retryable = false;

  constructor(
    readonly supervisorId: string,
    readonly childId: string,
  ) {
    super(
      `supervisor "${supervisorId}" already has a child "${childId}"; terminate it first or use another id`,
    );
  }
}
