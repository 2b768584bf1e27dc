import type { Task, TaskContext } from '../src/index.js';
import { SHUTDOWN } from '../src/index.js';

/** How a probe task behaves when asked to stop. */
export type StopBehaviour = 'comply' | 'ignore' | 'throw';

/** A task the test drives by hand: it runs until the test makes it crash or exit, and logs what it does. */
export interface Probe {
  readonly task: Task;
  /** Number of times it was started. */
  readonly runs: number;
  readonly running: boolean;
  crash(error?: Error): void;
  exit(): void;
  exitShutdown(): void;
}

export interface ProbeOptions {
  readonly onStop?: StopBehaviour;
  /** Makes the run throw before signalling ready (a crash in init) while it returns true. */
  readonly failInit?: () => boolean;
  /** Signal readiness only after init (waitsForReady). */
  readonly waitsForReady?: boolean;
}

export function probe(id: string, log: string[], options: ProbeOptions = {}): Probe {
  let runs = 0;
  let current: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
  const task: Task = {
    waitsForReady: options.waitsForReady ?? false,
    run(ctx: TaskContext) {
      runs++;
      log.push(`start:${id}`);
      if (options.failInit?.() === true) {
        log.push(`init-crash:${id}`);
        return Promise.reject(new Error(`${id} init failed`));
      }
      return new Promise((resolve, reject) => {
        current = { resolve, reject };
        ctx.signal.addEventListener('abort', () => {
          log.push(`stop:${id}`);
          if (options.onStop === 'ignore') return;
          current = undefined;
          if (options.onStop === 'throw') reject(new Error(`${id} failed while stopping`));
          else resolve(undefined);
        });
        ctx.ready();
      });
    },
  };
  const settle = (f: (c: NonNullable<typeof current>) => void): void => {
    if (current === undefined) throw new Error(`probe ${id} is not running`);
    const c = current;
    current = undefined;
    f(c);
  };
  return {
    task,
    get runs() {
      return runs;
    },
    get running() {
      return current !== undefined;
    },
    crash: (error = new Error(`${id} crashed`)) => settle((c) => c.reject(error)),
    exit: () => settle((c) => c.resolve(undefined)),
    exitShutdown: () => settle((c) => c.resolve(SHUTDOWN)),
  };
}
