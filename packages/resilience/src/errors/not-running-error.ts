import { VigilError, type VigilErrorOptions } from './vigil-error.js';

/** A message was sent to a task or server that is not running (not started yet, restarting, or stopped). */
export class NotRunningError extends VigilError {
  readonly code = 'NOT_RUNNING' as const;
  readonly retryable = true;

  constructor(
    readonly target: string,
    detail: string,
    options?: VigilErrorOptions,
  ) {
    super(`"${target}" is not running: ${detail}`, options);
  }
}
