import {
  isCleanExit,
  taskKinds,
  toTask,
  type Exit,
  type Task,
  type TaskKind,
  type TaskLike,
} from './task.js';

/**
 * `permanent`: always restarted. `transient`: restarted only after a crash (not after a normal or shutdown
 * exit). `temporary`: never restarted, and forgotten once it exits.
 */
export const restartTypes = ['permanent', 'transient', 'temporary'] as const;
export type RestartType = (typeof restartTypes)[number];

/** How a supervisor starts and restarts one child. */
export interface ChildSpec {
  /** Unique among its siblings. */
  readonly id: string;
  /** What to run; run again from scratch on every restart. */
  readonly task: TaskLike;
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /**
   * How long a stop waits for the task after aborting its signal before abandoning it, in ms. Default the
   * task's `defaultShutdownMs`, else 5,000. `Infinity` waits forever (the default for supervisors).
   */
  readonly shutdownMs?: number;
}

/** A validated child spec with defaults applied. */
export interface NormalizedChildSpec {
  readonly id: string;
  readonly task: Task;
  readonly restart: RestartType;
  readonly shutdownMs: number;
  readonly kind: TaskKind;
}

export const DEFAULT_SHUTDOWN_MS = 5000;

/** Validates `spec` (found at `where`, e.g. `children[2]`), throwing `TypeError`/`RangeError` naming the field. */
export function normalizeChildSpec(
  spec: ChildSpec,
  at: string | (() => string),
): NormalizedChildSpec {
  // `at` may be a function so the hot path (a dynamic supervisor starting many children) builds no string.
  const where = (): string => (typeof at === 'string' ? at : at());
  const raw = spec as unknown as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null)
    throw new TypeError(`${where()} must be a child spec object`);
  if (typeof raw.id !== 'string' || raw.id === '') {
    throw new TypeError(`${where()}.id must be a non-empty string, got ${JSON.stringify(raw.id)}`);
  }
  const task = raw.task as Record<string, unknown> | null;
  const isTask =
    typeof task === 'function' ||
    (typeof task === 'object' && task !== null && typeof task.run === 'function');
  if (!isTask) {
    throw new TypeError(
      `${where()}.task (child "${spec.id}") must be a function or an object with run()`,
    );
  }
  const restart = spec.restart ?? 'permanent';
  if (!(restartTypes as readonly string[]).includes(restart)) {
    throw new RangeError(
      `${where()}.restart (child "${spec.id}") must be one of ${restartTypes.join(', ')}, got ${JSON.stringify(restart)}`,
    );
  }
  const normalized = toTask(spec.task);
  const shutdownMs = spec.shutdownMs ?? normalized.defaultShutdownMs ?? DEFAULT_SHUTDOWN_MS;
  if (typeof shutdownMs !== 'number' || !(shutdownMs >= 0)) {
    throw new RangeError(
      `${where()}.shutdownMs (child "${spec.id}") must be a number of ms >= 0 or Infinity, got ${String(shutdownMs)}`,
    );
  }
  const kind = normalized.kind ?? 'worker';
  if (!(taskKinds as readonly string[]).includes(kind)) {
    throw new RangeError(`${where()}.task.kind (child "${spec.id}") must be worker or supervisor`);
  }
  return { id: spec.id, task: normalized, restart, shutdownMs, kind };
}

/** Whether a child with this restart type is restarted after `exit` (OTP rules). */
export function needsRestart(restart: RestartType, exit: Exit): boolean {
  switch (restart) {
    case 'permanent':
      return true;
    case 'transient':
      return !isCleanExit(exit);
    case 'temporary':
      return false;
  }
}
