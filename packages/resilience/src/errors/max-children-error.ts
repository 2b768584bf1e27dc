import { VigilError } from './vigil-error.js';

/** A dynamic supervisor already runs `maxChildren` children. */
export class MaxChildrenError extends VigilError {
  readonly code = 'MAX_CHILDREN' as const;
  readonly retryable = true;

  constructor(
    readonly supervisorId: string,
    readonly maxChildren: number,
  ) {
    super(
      `supervisor "${supervisorId}" already runs its maximum of ${maxChildren} children; terminate one or raise maxChildren`,
    );
  }
}
