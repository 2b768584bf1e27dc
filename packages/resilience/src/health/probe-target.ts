import type { Clock, Timer } from '../clock/index.js';
import { TimeoutError } from '../errors/index.js';
import type { ProbeContext } from './health-types.js';
import { LazySignal } from './lazy-signal.js';
import type { Link, LinkObserver, Target } from './target.js';

/** Settings of a {@link probeTarget}, validated. */
export interface ProbeTargetSettings {
  readonly name: string;
  readonly probe: (ctx: ProbeContext) => unknown;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/** Any async check polled on an interval: up while it passes, lost when a probe fails. */
export function probeTarget(settings: ProbeTargetSettings): Target {
  const description = `probe ${settings.name}`;
  return { description, open: (observer) => new ProbeLink(settings, description, observer) };
}

class ProbeLink implements Link {
  readonly #settings: ProbeTargetSettings;
  readonly #description: string;
  readonly #observer: LinkObserver;
  #state: 'connecting' | 'up' | 'closed' = 'connecting';
  #timer: Timer | undefined;
  /** The context of the probe in flight. */
  #ctx: LazySignal | undefined;
  #round = 0;

  constructor(settings: ProbeTargetSettings, description: string, observer: LinkObserver) {
    this.#settings = settings;
    this.#description = description;
    this.#observer = observer;
    this.#probe();
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#timer?.cancel();
    this.#abort(new DOMException(`health check of ${this.#description} stopped`, 'AbortError'));
  }

  #probe(): void {
    const round = ++this.#round;
    const { clock, timeoutMs, probe } = this.#settings;
    const ctx = new LazySignal();
    this.#ctx = ctx;
    this.#timer = clock.setTimer(timeoutMs, () => {
      const error = new TimeoutError(
        `${this.#description} did not answer within ${timeoutMs} ms`,
        timeoutMs,
      );
      this.#abort(error);
      this.#settle(round, false, error);
    });
    let result: unknown;
    try {
      result = probe(ctx);
    } catch (error) {
      this.#settle(round, false, error);
      return;
    }
    Promise.resolve(result).then(
      () => this.#settle(round, true, undefined),
      (error: unknown) => this.#settle(round, false, error),
    );
  }

  #settle(round: number, ok: boolean, error: unknown): void {
    if (round !== this.#round || this.#state === 'closed') return;
    this.#round++; // a late result of this round is ignored
    this.#timer?.cancel();
    const wasUp = this.#state === 'up';
    if (!ok) {
      this.#state = 'closed';
      if (wasUp) this.#observer.lost(error);
      else this.#observer.failed(error);
      return;
    }
    this.#state = 'up';
    this.#timer = this.#settings.clock.setTimer(this.#settings.intervalMs, () => this.#probe());
    if (!wasUp) this.#observer.up();
  }

  #abort(reason: unknown): void {
    this.#ctx?.abort(reason);
    this.#ctx = undefined;
  }
}
