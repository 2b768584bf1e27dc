import { VigilError } from './vigil-error.js';

/**
 * `retry()` gave up: its policy said stop. `attempts` holds the error of every attempt in order; `cause`
 * is the last one.
 */
export class RetryExhaustedError extends VigilError {
  readonly code = 'RETRY_EXHAUSTED' as const;
  readonly retryable = false;

  constructor(
    readonly attempts: readonly unknown[],
    readonly elapsedMs: number,
  ) {
    const last = attempts.at(-1);
    super(
      `gave up after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'} in ${Math.round(elapsedMs)} ms; last error: ${describe(last)}`,
      { cause: last },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
