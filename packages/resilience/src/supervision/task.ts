import type { Clock } from '../clock/index.js';

/** What a running task receives. */
export interface TaskContext {
  /** The child id the task runs under. */
  readonly id: string;
  /**
   * Aborts when the task must stop (its supervisor is stopping it); the task should then return soon.
   * Created on first use: Node's `AbortSignal` listeners cost ~10 µs and ~1 KB each, so a task that only
   * needs to hear about its stop can use the cheaper {@link TaskContext.onStop}.
   */
  readonly signal: AbortSignal;
  /**
   * Calls `listener` once when the task must stop (at once if it already must); returns a function that
   * removes it. The cheap alternative to listening on `signal`.
   */
  onStop(listener: () => void): () => void;
  /** The supervisor's clock. */
  readonly clock: Clock;
  /**
   * Tells the supervisor the task has initialised, so the next sibling may start. Only tasks that set
   * `waitsForReady` need to call it; calling it more than once is harmless.
   */
  ready(): void;
}

/**
 * A long-running async unit (an OTP process). `run` resolving is a normal exit; throwing or rejecting is a
 * crash; returning after `ctx.signal` aborted is a shutdown. The same object may be run again after it
 * exits (a restart), so per-run state belongs inside `run`.
 */
export interface Task {
  run(ctx: TaskContext): Promise<unknown>;
  /** When true, the supervisor waits for `ctx.ready()` (or an exit) before it starts the next sibling. */
  readonly waitsForReady?: boolean;
  /** Shutdown timeout when the child spec gives none. Supervisors use `Infinity`, as in OTP. */
  readonly defaultShutdownMs?: number;
  /** `supervisor` for tasks that supervise others (counted apart in `countChildren`). Default `worker`. */
  readonly kind?: TaskKind;
}

/** A {@link Task}, or just its `run` function. */
export type TaskLike = Task | ((ctx: TaskContext) => Promise<unknown>);

export const taskKinds = ['worker', 'supervisor'] as const;
export type TaskKind = (typeof taskKinds)[number];

/**
 * Why a task exited. `normal`: it returned on its own. `shutdown`: it stopped because it was asked to.
 * `crashed`: it threw (`error` says what). `killed`: it ignored the stop request past its shutdown timeout
 * and was abandoned (`error` is a `ShutdownTimeoutError`).
 */
export const exitReasons = ['normal', 'shutdown', 'crashed', 'killed'] as const;
export type ExitReason = (typeof exitReasons)[number];

/** How a task ended. */
export interface Exit {
  readonly reason: ExitReason;
  readonly error?: unknown;
}

/**
 * Return this from a task's `run` to exit with reason `shutdown` rather than `normal` (OTP's
 * `exit(shutdown)`): a clean exit, so a transient child is not restarted.
 */
export const SHUTDOWN: unique symbol = Symbol.for('@vigil/resilience.shutdown');

export const normalExit: Exit = Object.freeze({ reason: 'normal' });
export const shutdownExit: Exit = Object.freeze({ reason: 'shutdown' });

/** True for the exits OTP calls clean (`normal`, `shutdown`): a transient child is not restarted after them. */
export function isCleanExit(exit: Exit): boolean {
  return exit.reason === 'normal' || exit.reason === 'shutdown';
}

/** Normalises a {@link TaskLike} to a {@link Task}. */
export function toTask(task: TaskLike): Task {
  return typeof task === 'function' ? { run: task } : task;
}
