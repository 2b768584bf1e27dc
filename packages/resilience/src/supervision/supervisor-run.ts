import type { NormalizedChildSpec } from './child-spec.js';
import type { ChildInfo, ChildStatus } from './events.js';
import { RestartWindow } from './intensity.js';
import type { TaskHandle } from './spawn.js';

/** A supervisor's view of one child. */
export interface ChildRecord {
  readonly spec: NormalizedChildSpec;
  handle: TaskHandle | undefined;
  status: ChildStatus;
  restarts: number;
}

export function newRecord(spec: NormalizedChildSpec): ChildRecord {
  return { spec, handle: undefined, status: 'stopped', restarts: 0 };
}

export function childInfo(record: ChildRecord): ChildInfo {
  const { spec } = record;
  return {
    id: spec.id,
    status: record.status,
    restart: spec.restart,
    kind: spec.kind,
    restarts: record.restarts,
  };
}

/**
 * The state of one run of a supervisor. Operations on it (start, exit handling, restart, shutdown) run one
 * at a time, in arrival order, like the messages of an OTP supervisor process.
 */
export class SupervisorRun {
  readonly window: RestartWindow;
  /** True once the run is shutting down or giving up: exits are no longer acted on. */
  stopping = false;
  /** Resolves when a stop is requested, so a start waiting for a child's readiness can stop waiting. */
  readonly stopRequested: Promise<'stop'>;
  /** Settles when the run ends: resolves on shutdown, rejects when it gives up or fails to start. */
  readonly finished: Promise<void>;
  #requestStop!: (value: 'stop') => void;
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  #ops: Promise<void> = Promise.resolve();

  constructor(
    readonly children: ChildRecord[],
    intensity: number,
    periodMs: number,
  ) {
    this.window = new RestartWindow(intensity, periodMs);
    this.stopRequested = new Promise((resolve) => (this.#requestStop = resolve));
    this.finished = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  requestStop(): void {
    this.stopping = true;
    this.#requestStop('stop');
  }

  /** Queues `op` after every operation queued before it. A failing op is a supervisor bug: it ends the run. */
  enqueue(op: () => Promise<void> | void): void {
    this.#ops = this.#ops.then(op).catch((error: unknown) => this.end(error));
  }

  /** Ends the run: with no error it is a clean shutdown. */
  end(error?: unknown): void {
    this.stopping = true;
    if (error === undefined) this.#resolve();
    else this.#reject(error);
  }
}
