import type { Timer } from '../clock/index.js';
import { TimeoutError } from '../errors/index.js';
import type { Emitter } from '../events/index.js';
import type { Task, TaskContext } from '../supervision/index.js';
import { LazySignal } from './lazy-signal.js';
import { setState, type Entry } from './provider-entry.js';
import type { NormalizedPoolOptions } from './provider-pool-options.js';
import type { PollContext, ProviderPoolEvents, ProviderRef } from './provider-pool-types.js';

/** What a provider's task shares with its pool. */
export interface PoolShared<P extends ProviderRef, V> {
  readonly options: NormalizedPoolOptions<P, V>;
  readonly events: Emitter<ProviderPoolEvents<V>>;
}

/**
 * The supervised task that polls one provider: at once, then every `periodMs` while it answers, on the
 * backoff while it fails, not at all once blocked. Whatever the poll does — throw, reject, hang — is a
 * failed poll of this provider alone.
 */
export class ProviderTask<P extends ProviderRef, V> implements Task {
  constructor(
    readonly entry: Entry<P, V>,
    readonly pool: PoolShared<P, V>,
  ) {}

  run(ctx: TaskContext): Promise<void> {
    return new Promise((resolve, reject) => {
      new ProviderRun(this.entry, this.pool, resolve, reject).start(ctx);
    });
  }
}

/** One poll's context; its signal is created only if the poll reads it. */
class PollRound extends LazySignal implements PollContext {
  constructor(readonly attempt: number) {
    super();
  }
}

class ProviderRun<P extends ProviderRef, V> {
  readonly #entry: Entry<P, V>;
  readonly #pool: PoolShared<P, V>;
  readonly #resolve: () => void;
  readonly #reject: (error: unknown) => void;
  #timer: Pick<Timer, 'cancel'> | undefined;
  #timeout: Timer | undefined;
  #current: PollRound | undefined;
  #round = 0;
  #stopped = false;

  constructor(
    entry: Entry<P, V>,
    pool: PoolShared<P, V>,
    resolve: () => void,
    reject: (error: unknown) => void,
  ) {
    this.#entry = entry;
    this.#pool = pool;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(ctx: TaskContext): void {
    const entry = this.#entry;
    ctx.onStop(() => this.#stop());
    if (this.#stopped) return;
    if (entry.state === 'blocked') entry.wake = () => this.#schedule(0);
    else {
      const { clock } = this.#pool.options;
      this.#schedule(Math.max(0, (entry.nextPollAt ?? 0) - clock.monotonic()));
    }
  }

  #stop(): void {
    this.#halt();
    this.#resolve();
  }

  /** A bug (a backoff policy returning NaN, say) crashes this provider's task: its supervisor restarts it. */
  #crash(error: unknown): void {
    this.#halt();
    this.#reject(error);
  }

  #halt(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timeout?.cancel();
    this.#current?.abort(new DOMException('the provider pool is stopping', 'AbortError'));
    this.#entry.wake = undefined;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#entry.wake = undefined;
    const { clock } = this.#pool.options;
    this.#entry.nextPollAt = clock.monotonic() + delayMs;
    const fire = (): void => {
      try {
        this.#poll();
      } catch (error) {
        this.#crash(error);
      }
    };
    if (delayMs !== 0) {
      this.#timer = clock.setTimer(delayMs, fire);
      return;
    }
    // "At once" (a new or released provider): on the next microtask, not on a timer turn.
    const soon = { cancelled: false, cancel: () => void (soon.cancelled = true) };
    this.#timer = soon;
    queueMicrotask(() => {
      if (!soon.cancelled) fire();
    });
  }

  #poll(): void {
    const entry = this.#entry;
    const { poll, pollTimeoutMs, clock } = this.#pool.options;
    const round = ++this.#round;
    entry.nextPollAt = undefined;
    const ctx = new PollRound(entry.attempts + 1);
    this.#current = ctx;
    if (pollTimeoutMs !== Infinity) {
      this.#timeout = clock.setTimer(pollTimeoutMs, () => {
        const error = new TimeoutError(
          `poll of provider "${entry.id}" took longer than ${pollTimeoutMs} ms`,
          pollTimeoutMs,
        );
        ctx.abort(error);
        this.#settle(round, false, error);
      });
    }
    let result: unknown;
    try {
      result = poll(entry.provider, ctx);
    } catch (error) {
      this.#settle(round, false, error);
      return;
    }
    Promise.resolve(result).then(
      (value) => this.#settle(round, true, value),
      (error: unknown) => this.#settle(round, false, error),
    );
  }

  #settle(round: number, ok: boolean, outcome: unknown): void {
    if (round !== this.#round || this.#stopped) return;
    this.#round++; // a late answer of this round is ignored
    this.#timeout?.cancel();
    try {
      if (!ok) this.#failed(outcome);
      else this.#judge(outcome as V);
    } catch (error) {
      this.#crash(error);
    }
  }

  #judge(value: V): void {
    try {
      this.#succeeded(value);
    } catch (error) {
      this.#failed(error); // `equals` threw: the value cannot be judged
    }
  }

  #succeeded(value: V): void {
    const entry = this.#entry;
    const { clock, equals, periodMs } = this.#pool.options;
    const events = this.#pool.events;
    const wasAllowed = entry.state === 'allowed';
    const previous = entry.value as V;
    const changed = wasAllowed && !equals(previous, value);
    const at = clock.now();
    entry.value = value;
    entry.updatedAt = at;
    entry.attempts = 0;
    entry.lastError = undefined;
    entry.backoff.succeed();
    setState(entry, 'allowed', at);
    this.#schedule(periodMs);
    if (!wasAllowed) events.emit('admitted', { id: entry.id, value, at });
    else if (changed) events.emit('value-changed', { id: entry.id, value, previous, at });
  }

  #failed(error: unknown): void {
    const entry = this.#entry;
    const { clock, maxAttempts } = this.#pool.options;
    const events = this.#pool.events;
    entry.attempts++;
    entry.lastError = error;
    const decision = entry.attempts >= maxAttempts ? 'stop' : entry.backoff.fail();
    if (decision === 'stop') {
      setState(entry, 'blocked', clock.now());
      entry.nextPollAt = undefined;
      entry.wake = () => this.#schedule(0);
      events.emit('blocked', { id: entry.id, attempts: entry.attempts, error });
      return;
    }
    setState(entry, 'quarantined', clock.now());
    this.#schedule(decision);
    events.emit('quarantined', {
      id: entry.id,
      attempts: entry.attempts,
      error,
      retryInMs: decision,
    });
  }
}
