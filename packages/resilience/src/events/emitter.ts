/** A listener of one event type. */
export type Listener<T> = (event: T) => void;

/** Where an emitter reports a listener that threw. */
export type ListenerErrorHandler = (error: unknown, eventName: string) => void;

const warnListenerError: ListenerErrorHandler = (error, eventName) => {
  process.emitWarning(
    `a listener of "${eventName}" threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    { code: 'VIGIL_LISTENER_ERROR' },
  );
};

/**
 * A small typed event emitter. A listener that throws never breaks the emitter or its other listeners:
 * the error goes to `onListenerError` (default: a process warning).
 */
export class Emitter<Events extends object> {
  #listeners: Map<keyof Events, Set<Listener<never>>> | undefined;
  readonly #onListenerError: ListenerErrorHandler;

  constructor(onListenerError: ListenerErrorHandler = warnListenerError) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes `listener` to `name`; returns a function that unsubscribes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    this.#listeners ??= new Map();
    let set = this.#listeners.get(name);
    if (set === undefined) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => {
      this.off(name, listener);
    };
  }

  /** Subscribes `listener` to the next `name` event only. */
  once<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(name, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  /** Removes `listener` from `name`. */
  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.#listeners?.get(name)?.delete(listener);
  }

  /** True when someone listens to `name` (so callers can skip building an event nobody reads). */
  has(name: keyof Events): boolean {
    return (this.#listeners?.get(name)?.size ?? 0) > 0;
  }

  /** Delivers `event` to every listener of `name`, synchronously, in subscription order. */
  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.#listeners?.get(name);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, String(name));
      }
    }
  }
}
