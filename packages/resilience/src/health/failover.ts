import { createBackoff, exponential, type Backoff } from '../backoff/index.js';
import { systemClock, systemRandom, type Clock, type Timer } from '../clock/index.js';
import { TimeoutError } from '../errors/index.js';
import { Emitter, type Listener } from '../events/index.js';
import { validateFailoverOptions } from './failover-options.js';
import { abortable, isThenable } from '../async/index.js';
import type {
  AsyncInterface,
  FailoverControl,
  FailoverEvents,
  FailoverOptions,
  FailoverRoute,
  FailoverState,
} from './failover-types.js';

type Method = (...args: unknown[]) => unknown;

interface Held {
  readonly prop: PropertyKey;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const controls = new WeakMap<object, FailoverControl>();

/** The switch behind a {@link failover} proxy. */
class FailoverSwitch<T extends object> implements FailoverControl {
  readonly id: string;
  readonly #targets: Readonly<Record<FailoverRoute, T>>;
  readonly #options: FailoverOptions<T>;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #backoff: Backoff;
  readonly #events = new Emitter<FailoverEvents>();
  readonly #inFlight: Record<FailoverRoute, number> = { primary: 0, replacement: 0 };
  readonly #drainWaiters: (() => void)[] = [];
  readonly #methods = new Map<PropertyKey, Method>();
  readonly #unsubscribe: (() => void)[];
  #state: FailoverState;
  #healthy: boolean;
  #held: Held[] = [];
  #controller: AbortController | undefined;
  #retryTimer: Timer | undefined;
  #closed = false;

  constructor(options: FailoverOptions<T>) {
    this.id = options.id ?? 'failover';
    this.#options = options;
    this.#targets = { primary: options.primary, replacement: options.replacement };
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.reconcileTimeoutMs ?? 60_000;
    this.#backoff = createBackoff(
      options.reconcileRetry ?? exponential({ initialMs: 1000, maxMs: 30_000, jitter: 'full' }),
      { clock: this.#clock, random: options.random ?? systemRandom },
    );
    this.#healthy = options.health.status !== 'failed';
    this.#state = this.#healthy ? 'primary' : 'replacement';
    this.#unsubscribe = [
      options.health.on('failure', () => this.#onFailure()),
      options.health.on('connect', () => this.#onConnect()),
    ];
  }

  get state(): FailoverState {
    return this.#state;
  }

  get route(): FailoverRoute {
    return this.#state === 'replacement' ? 'replacement' : 'primary';
  }

  get inFlight(): Readonly<Record<FailoverRoute, number>> {
    return { ...this.#inFlight };
  }

  get held(): number {
    return this.#held.length;
  }

  on<K extends keyof FailoverEvents>(name: K, listener: Listener<FailoverEvents[K]>): () => void {
    return this.#events.on(name, listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    this.#retryTimer?.cancel();
    this.#controller?.abort(new Error(`failover "${this.id}" was closed`));
  }

  /** The value the proxy returns for `prop`: a routing wrapper for methods, the current target's value otherwise. */
  property(prop: PropertyKey): unknown {
    const value: unknown = Reflect.get(this.#targets[this.route], prop);
    if (typeof value !== 'function') return value;
    let method = this.#methods.get(prop);
    if (method === undefined) {
      method = (...args: unknown[]) => this.#call(prop, args);
      this.#methods.set(prop, method);
    }
    return method;
  }

  #call(prop: PropertyKey, args: unknown[]): unknown {
    if (this.#state !== 'reconciling') return this.#invoke(this.route, prop, args);
    return new Promise((resolve, reject) => this.#held.push({ prop, args, resolve, reject }));
  }

  /** Runs one call on `route`, counting it in flight until it settles. */
  #invoke(route: FailoverRoute, prop: PropertyKey, args: unknown[]): unknown {
    const target = this.#targets[route];
    const fn: unknown = Reflect.get(target, prop);
    if (typeof fn !== 'function') {
      throw new TypeError(`failover "${this.id}": ${String(prop)} is not a method of the ${route}`);
    }
    this.#inFlight[route]++;
    let result: unknown;
    try {
      result = (fn as Method).apply(target, args);
    } catch (error) {
      this.#settled(route);
      throw error;
    }
    if (!isThenable(result)) {
      this.#settled(route);
      return result;
    }
    return Promise.resolve(result).finally(() => this.#settled(route));
  }

  #settled(route: FailoverRoute): void {
    this.#inFlight[route]--;
    if (route === 'replacement' && this.#inFlight.replacement === 0) {
      for (const wake of this.#drainWaiters.splice(0)) wake();
    }
  }

  #onFailure(): void {
    this.#healthy = false;
    this.#retryTimer?.cancel();
    this.#retryTimer = undefined;
    if (this.#state === 'reconciling') {
      this.#controller?.abort(new Error(`the primary of failover "${this.id}" failed again`));
    } else if (this.#state === 'primary') {
      this.#switch('replacement', 'failure');
    }
  }

  #onConnect(): void {
    this.#healthy = true;
    if (this.#state !== 'replacement' || this.#closed) return;
    this.#retryTimer?.cancel();
    this.#backoff.succeed();
    void this.#reconcile(1);
  }

  #switch(to: FailoverRoute, reason: 'failure' | 'recovered'): void {
    const from = this.route;
    this.#state = to;
    this.#events.emit('switched', { from, to, reason, at: this.#clock.now() });
  }

  /** Holds new calls, waits for the replacement to drain, reconciles, then switches back. */
  async #reconcile(attempt: number): Promise<void> {
    this.#retryTimer = undefined;
    this.#state = 'reconciling';
    this.#events.emit('reconciling', { attempt });
    const controller = new AbortController();
    this.#controller = controller;
    const timer = this.#clock.setTimer(this.#timeoutMs, () =>
      controller.abort(
        new TimeoutError(
          `reconcile of failover "${this.id}" took longer than ${this.#timeoutMs} ms`,
          this.#timeoutMs,
        ),
      ),
    );
    let failure: { error: unknown } | undefined;
    try {
      await abortable(this.#drained(), controller.signal);
      const { reconcile, primary, replacement } = this.#options;
      if (reconcile !== undefined) {
        const { signal } = controller;
        await abortable(
          Promise.resolve(reconcile({ primary, replacement, attempt, signal })),
          signal,
        );
      }
      controller.signal.throwIfAborted();
    } catch (error) {
      failure = { error };
    } finally {
      timer.cancel();
      this.#controller = undefined;
    }
    if (failure === undefined) {
      this.#backoff.succeed();
      this.#switch('primary', 'recovered');
    } else {
      this.#state = 'replacement';
      this.#failed(attempt, failure.error);
    }
    this.#release();
  }

  #failed(attempt: number, error: unknown): void {
    let retryInMs: number | undefined;
    if (this.#healthy && !this.#closed) {
      const decision = this.#backoff.fail();
      if (decision !== 'stop') {
        retryInMs = decision;
        this.#retryTimer = this.#clock.setTimer(decision, () => {
          if (this.#healthy && !this.#closed && this.#state === 'replacement') {
            void this.#reconcile(attempt + 1);
          } else this.#retryTimer = undefined;
        });
      }
    }
    this.#events.emit('reconcile-failed', { attempt, error, retryInMs });
  }

  /** Sends the calls held during a reconcile to the current route, in arrival order. */
  #release(): void {
    const held = this.#held;
    this.#held = [];
    const route = this.route;
    for (const call of held) {
      try {
        Promise.resolve(this.#invoke(route, call.prop, call.args)).then(call.resolve, call.reject);
      } catch (error) {
        call.reject(error);
      }
    }
  }

  #drained(): Promise<void> {
    if (this.#inFlight.replacement === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }
}

/**
 * Returns an object of the same interface as `primary` that routes each call to the primary while it is
 * healthy and to the replacement after the health source declares failure; when the primary is back it
 * holds new calls, lets the replacement's calls in flight finish, runs `reconcile`, then switches back.
 * A call runs once, on the target it started on: none is lost, repeated or moved across a switch.
 * Observe and close it with {@link failoverControl}.
 */
export function failover<T extends AsyncInterface<T> & object>(options: FailoverOptions<T>): T {
  validateFailoverOptions(options);
  const sw = new FailoverSwitch(options);
  const proxy = new Proxy(Object.create(null) as object, {
    get: (_target, prop) => sw.property(prop),
    has: (_target, prop) =>
      prop in (sw.route === 'primary' ? options.primary : options.replacement),
  }) as T;
  controls.set(proxy, sw);
  return proxy;
}

/** The control of an object made by {@link failover}; throws `TypeError` for any other object. */
export function failoverControl(service: object): FailoverControl {
  const control = controls.get(service);
  if (control === undefined)
    throw new TypeError('failoverControl: not an object made by failover()');
  return control;
}
