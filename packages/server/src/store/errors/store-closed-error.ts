import { VigilError } from '@vigil/resilience';

/** The store was closed (or closing ended before this write could be made durable). */
export class StoreClosedError extends VigilError {
  readonly code = 'STORE_CLOSED' as const;
  readonly retryable = false;
}
