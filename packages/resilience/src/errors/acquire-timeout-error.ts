import { VigilError } from './vigil-error.js';

/** `pool.acquire()` waited longer than its timeout for a free resource. */
export class AcquireTimeoutError extends VigilError {
  readonly code = 'ACQUIRE_TIMEOUT' as const;
  readonly retryable = true;

  constructor(
    readonly poolId: string,
    readonly timeoutMs: number,
    /** Resources borrowed when it gave up. */
    readonly borrowed: number,
    options?: { readonly cause?: unknown },
  ) {
    super(
      `pool "${poolId}": no resource free within ${timeoutMs} ms (${borrowed} borrowed); release resources sooner (use pool.use()), raise max, or raise acquireTimeoutMs`,
      options,
    );
  }
}
