import { VigilError } from './vigil-error.js';

/**
 * A task ignored its abort signal for longer than its shutdown timeout and was abandoned: its promise may
 * still be running. This is the exit error of an abandoned (`killed`) task.
 */
export class ShutdownTimeoutError extends VigilError {
  readonly code = 'SHUTDOWN_TIMEOUT' as const;
  readonly retryable = false;

  constructor(
    readonly taskId: string,
    readonly shutdownMs: number,
  ) {
    super(
      `task "${taskId}" did not stop within ${shutdownMs} ms of its abort signal and was abandoned; make it honour ctx.signal or raise shutdownMs`,
    );
  }
}
