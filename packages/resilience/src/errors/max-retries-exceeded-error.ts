import { VigilError } from './vigil-error.js';

/**
 * A health checker gave up on its target: `retries` reconnection attempts in a row failed (or its retry
 * policy said stop). With `afterFailure: 'stop'` the checker's run exits with this error — OTP's
 * `{stop, max_retries_exceeded}` — so its supervisor decides what happens next. `cause` is the last
 * attempt's error. Retryable: a later run may find the target back.
 */
export class MaxRetriesExceededError extends VigilError {
  readonly code = 'MAX_RETRIES_EXCEEDED' as const;
  readonly retryable = true;
  /** The exit reason of the original Elixir checker, for logs and greps. */
  readonly reason = 'max_retries_exceeded' as const;

  constructor(
    readonly checkerId: string,
    readonly target: string,
    readonly retries: number,
    cause: unknown,
  ) {
    super(
      `health checker "${checkerId}" gave up on ${target} after ${retries} failed ${retries === 1 ? 'retry' : 'retries'}; last error: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
