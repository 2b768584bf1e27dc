import type { Clock } from '../clock/index.js';
import { spawn, type TaskHandle } from './spawn.js';
import { normalExit, type Exit, type Task } from './task.js';

/**
 * Runs a task at the top of a tree (no supervisor above it): `start()` resolves once it is ready and
 * rejects with its error if it fails to start; `stop()` stops it; `done` resolves with its exit.
 */
export class RootRunner {
  #handle: TaskHandle | undefined;

  constructor(
    readonly task: Task,
    readonly id: string,
    readonly clock: Clock,
    readonly shutdownMs: number,
  ) {}

  async start(): Promise<void> {
    if (this.#handle !== undefined && this.#handle.exit === undefined) {
      throw new Error(`"${this.id}" is already running; stop it before starting it again`);
    }
    const handle = spawn(this.task, {
      id: this.id,
      clock: this.clock,
      shutdownMs: this.shutdownMs,
    });
    this.#handle = handle;
    const exit = await handle.started;
    if (exit !== undefined) {
      throw exit.error instanceof Error
        ? exit.error
        : new Error(`"${this.id}" exited while starting (${exit.reason})`);
    }
  }

  stop(): Promise<Exit> {
    return this.#handle?.stop() ?? Promise.resolve(normalExit);
  }

  /** The exit of the current (or last) run, once started. */
  get done(): Promise<Exit> | undefined {
    return this.#handle?.done;
  }
}
