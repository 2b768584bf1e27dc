import { VigilError } from './vigil-error.js';

/**
 * A supervisor saw more restarts than its intensity allows within its period, stopped its children and
 * gave up; its parent receives this as the supervisor's crash. `cause` is the last child's exit error.
 */
export class RestartIntensityError extends VigilError {
  readonly code = 'RESTART_INTENSITY_EXCEEDED' as const;
  readonly retryable = false;

  constructor(
    readonly supervisorId: string,
    readonly childId: string,
    readonly intensity: number,
    readonly periodMs: number,
    cause: unknown,
  ) {
    super(
      `supervisor "${supervisorId}" gave up: child "${childId}" needed restart ${intensity + 1} within ${periodMs} ms (intensity ${intensity}); fix the failing child or raise the intensity`,
      { cause },
    );
  }
}
