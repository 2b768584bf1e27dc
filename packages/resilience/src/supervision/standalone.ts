import type { Clock } from '../clock/index.js';
import { spawn, type TaskHandle } from './spawn.js';
import type { Exit, Task } from './task.js';

/**
 * Runs one task on its own, outside a supervisor: the `start()` / `stop()` of a component that is a
 * {@link Task} (a health checker, a provider pool) for applications that do not keep a supervision tree.
 */
export class Standalone {
  #handle: TaskHandle | undefined;

  constructor(
    private readonly task: Task,
    private readonly options: {
      readonly id: string;
      readonly clock: Clock;
      readonly shutdownMs: number;
      /** How errors name it: `HealthChecker "db"`. */
      readonly label: string;
    },
  ) {}

  /** Spawns the task; resolves once it is ready, or rejects with why it exited first. */
  async start(): Promise<void> {
    if (this.#handle !== undefined && this.#handle.exit === undefined) {
      throw new Error(`${this.options.label} is already running; stop it first`);
    }
    this.#handle = spawn(this.task, {
      id: this.options.id,
      clock: this.options.clock,
      shutdownMs: this.options.shutdownMs,
    });
    const exit = await this.#handle.started;
    if (exit !== undefined) {
      throw exit.error instanceof Error
        ? exit.error
        : new Error(`"${this.options.id}" exited (${exit.reason})`);
    }
  }

  /** Stops a run started with `start()`; resolves with its exit (`shutdown` when none was running). */
  stop(): Promise<Exit> {
    return this.#handle?.stop() ?? Promise.resolve({ reason: 'shutdown' });
  }

  /** The exit of the run started with `start()`. */
  get done(): Promise<Exit> | undefined {
    return this.#handle?.done;
  }
}
