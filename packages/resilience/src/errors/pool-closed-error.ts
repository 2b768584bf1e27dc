import { VigilError } from './vigil-error.js';

/** The pool is draining or closed, so it lends nothing more. */
export class PoolClosedError extends VigilError {
  readonly code = 'POOL_CLOSED' as const;
  readonly retryable = false;

  constructor(readonly poolId: string) {
    super(`pool "${poolId}" is closed or draining and lends no more resources; create a new pool`);
  }
}
