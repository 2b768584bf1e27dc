import { systemClock, type Clock, type Timer } from '../clock/index.js';
import { Deque } from '../collections/index.js';
import { CallTimeoutError, MailboxFullError, NotRunningError } from '../errors/index.js';
import { RootRunner } from './root.js';
import {
  isContinueWith,
  type CallOptions,
  type ServerBehavior,
  type ServerContext,
  type ServerExit,
  type ServerOptions,
} from './server-types.js';
import type { Exit, Task, TaskContext } from './task.js';

type Envelope<Call, Reply, Cast, Info> =
  | {
      kind: 'call';
      message: Call;
      resolve: (reply: Reply) => void;
      reject: (error: unknown) => void;
      timer: Timer | undefined;
      abandoned: boolean;
    }
  | { kind: 'cast'; message: Cast }
  | { kind: 'info'; message: Info };

interface Running {
  stopRequested: boolean;
  stopError: unknown;
  readonly timers: Set<Timer>;
}

/**
 * A task with a serialized mailbox (OTP's GenServer): `call` waits for a reply, `cast` and `send` do not.
 * It is a {@link Task}: put it in a supervisor, or run it alone with `start()`. Each run starts from a
 * fresh `init`; messages sent while it is not running are refused (`NOT_RUNNING`).
 */
export class Server<S, Call = never, Reply = never, Cast = never, Info = never> implements Task {
  readonly id: string;
  readonly waitsForReady = true;
  readonly defaultShutdownMs: number;
  readonly #behavior: ServerBehavior<S, Call, Reply, Cast, Info>;
  readonly #clock: Clock;
  readonly #maxMailbox: number;
  readonly #callTimeoutMs: number;
  readonly #mailbox = new Deque<Envelope<Call, Reply, Cast, Info>>();
  readonly #root: RootRunner;
  #running: Running | undefined;
  #wake: (() => void) | undefined;

  constructor(behavior: ServerBehavior<S, Call, Reply, Cast, Info>, options: ServerOptions = {}) {
    this.id = options.id ?? 'server';
    const where = `Server "${this.id}"`;
    const raw = behavior as unknown as Record<string, unknown> | undefined;
    if (typeof raw?.init !== 'function')
      throw new TypeError(`${where}: behavior.init must be a function`);
    for (const name of ['handleContinue', 'handleCall', 'handleCast', 'handleInfo', 'terminate']) {
      if (raw[name] !== undefined && typeof raw[name] !== 'function') {
        throw new TypeError(`${where}: behavior.${name} must be a function`);
      }
    }
    this.#maxMailbox = positive(where, 'maxMailbox', options.maxMailbox ?? Infinity);
    this.#callTimeoutMs = positive(where, 'callTimeoutMs', options.callTimeoutMs ?? 5000);
    this.defaultShutdownMs = positive(where, 'shutdownMs', options.shutdownMs ?? 5000);
    this.#behavior = behavior;
    this.#clock = options.clock ?? systemClock;
    this.#root = new RootRunner(this, this.id, this.#clock, this.defaultShutdownMs);
  }

  /** True while a run is active and not stopping. */
  get isRunning(): boolean {
    return this.#running !== undefined && !this.#running.stopRequested;
  }

  /** Sends `message` and waits for the reply; rejects with `CALL_TIMEOUT`, `NOT_RUNNING` or `MAILBOX_FULL`. */
  call(message: Call, options: CallOptions = {}): Promise<Reply> {
    const refused = this.#refuse();
    if (refused !== undefined) return Promise.reject(refused);
    const timeoutMs = options.timeoutMs ?? this.#callTimeoutMs;
    return new Promise<Reply>((resolve, reject) => {
      const envelope: Envelope<Call, Reply, Cast, Info> = {
        kind: 'call',
        message,
        resolve,
        reject,
        timer: undefined,
        abandoned: false,
      };
      if (timeoutMs !== Infinity) {
        envelope.timer = this.#clock.setTimer(timeoutMs, () => {
          envelope.abandoned = true;
          reject(new CallTimeoutError(this.id, timeoutMs));
        });
      }
      this.#post(envelope);
    });
  }

  /** Queues `message` without waiting; false when it was refused (not running, or mailbox full). */
  cast(message: Cast): boolean {
    if (this.#refuse() !== undefined) return false;
    this.#post({ kind: 'cast', message });
    return true;
  }

  /** Queues an info message (OTP: a plain message); false when it was refused. */
  send(message: Info): boolean {
    if (this.#refuse() !== undefined) return false;
    this.#post({ kind: 'info', message });
    return true;
  }

  start(): Promise<void> {
    return this.#root.start();
  }

  stop(): Promise<Exit> {
    return this.#root.stop();
  }

  get done(): Promise<Exit> | undefined {
    return this.#root.done;
  }

  async run(ctx: TaskContext): Promise<void> {
    if (this.#running !== undefined) throw new Error(`Server "${this.id}" is already running`);
    const running: Running = { stopRequested: false, stopError: undefined, timers: new Set() };
    this.#running = running;
    const sctx = this.#context(ctx, running);
    const onAbort = (): void => this.#wakeUp();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let state: S | undefined;
    let crash: { error: unknown } | undefined;
    try {
      const init = await this.#behavior.init(sctx);
      state = isContinueWith<S>(init) ? init.state : init;
      ctx.ready();
      if (isContinueWith(init) && this.#behavior.handleContinue !== undefined) {
        state = keep(state, await this.#behavior.handleContinue(state, sctx));
      }
      state = await this.#loop(ctx.signal, running, state, sctx);
    } catch (error) {
      crash = { error };
    }
    ctx.signal.removeEventListener('abort', onAbort);
    running.stopRequested = true;
    this.#running = undefined;
    this.#cleanUp(running, crash?.error);
    const failure =
      crash ?? (running.stopError === undefined ? undefined : { error: running.stopError });
    const exit: ServerExit =
      failure !== undefined
        ? { reason: 'crashed', error: failure.error }
        : { reason: ctx.signal.aborted ? 'shutdown' : 'normal' };
    await this.#behavior.terminate?.(exit, state);
    if (failure !== undefined) throw failure.error;
  }

  async #loop(
    signal: AbortSignal,
    running: Running,
    initial: S,
    ctx: ServerContext<Info>,
  ): Promise<S> {
    let state = initial;
    while (!signal.aborted && !running.stopRequested) {
      const envelope = this.#mailbox.shift();
      if (envelope === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      state = await this.#handle(envelope, state, ctx);
    }
    return state;
  }

  async #handle(
    envelope: Envelope<Call, Reply, Cast, Info>,
    state: S,
    ctx: ServerContext<Info>,
  ): Promise<S> {
    const b = this.#behavior;
    switch (envelope.kind) {
      case 'call': {
        if (b.handleCall === undefined) throw this.#missing('handleCall', envelope);
        try {
          const result = await b.handleCall(envelope.message, state, ctx);
          envelope.timer?.cancel();
          if (!envelope.abandoned) envelope.resolve(result.reply);
          return 'state' in result ? result.state : state;
        } catch (error) {
          envelope.timer?.cancel();
          envelope.reject(error);
          throw error;
        }
      }
      case 'cast':
        if (b.handleCast === undefined) throw this.#missing('handleCast', envelope);
        return keep(state, await b.handleCast(envelope.message, state, ctx));
      case 'info':
        if (b.handleInfo === undefined) throw this.#missing('handleInfo', envelope);
        return keep(state, await b.handleInfo(envelope.message, state, ctx));
    }
  }

  #missing(name: string, envelope: Envelope<Call, Reply, Cast, Info>): TypeError {
    const error = new TypeError(`Server "${this.id}" got a ${envelope.kind} but has no ${name}`);
    if (envelope.kind === 'call') envelope.reject(error);
    return error;
  }

  #context(task: TaskContext, running: Running): ServerContext<Info> {
    return {
      id: this.id,
      signal: task.signal,
      clock: this.#clock,
      send: (info) => void this.send(info),
      sendAfter: (delayMs, info) => {
        const timer = this.#clock.setTimer(delayMs, () => {
          running.timers.delete(timer);
          if (this.#running === running) this.send(info);
        });
        running.timers.add(timer);
        return timer;
      },
      stop: (error?: unknown) => {
        running.stopRequested = true;
        running.stopError = error;
        this.#wakeUp();
      },
    };
  }

  #refuse(): Error | undefined {
    if (!this.isRunning)
      return new NotRunningError(this.id, 'it is not started, is restarting or has stopped');
    if (this.#mailbox.size >= this.#maxMailbox)
      return new MailboxFullError(this.id, this.#maxMailbox);
    return undefined;
  }

  #post(envelope: Envelope<Call, Reply, Cast, Info>): void {
    this.#mailbox.push(envelope);
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #cleanUp(running: Running, cause: unknown): void {
    for (const timer of running.timers) timer.cancel();
    running.timers.clear();
    for (const envelope of this.#mailbox.drain()) {
      if (envelope.kind !== 'call') continue;
      envelope.timer?.cancel();
      envelope.reject(
        new NotRunningError(this.id, 'it stopped before handling this call', { cause }),
      );
    }
  }
}

function keep<S>(state: S, next: S | undefined | void): S {
  return next === undefined ? state : next;
}

function positive(where: string, option: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new RangeError(`${where}: ${option} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

/** Creates a {@link Server} from its callbacks; throws `TypeError`/`RangeError` naming any bad option. */
export function createServer<S, Call = never, Reply = never, Cast = never, Info = never>(
  behavior: ServerBehavior<S, Call, Reply, Cast, Info>,
  options?: ServerOptions,
): Server<S, Call, Reply, Cast, Info> {
  return new Server(behavior, options);
}
