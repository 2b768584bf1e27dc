import type { Clock, Timer } from '../clock/index.js';
import { PeerClosedError, TimeoutError } from '../errors/index.js';
import type { HealthSession, SessionContext } from './health-types.js';
import { LazySignal } from './lazy-signal.js';
import { stackless } from './stackless.js';
import type { Link, LinkObserver, Target } from './target.js';

/** Settings of a {@link sessionTarget}, validated. */
export interface SessionTargetSettings {
  readonly name: string;
  readonly open: (ctx: SessionContext) => PromiseLike<HealthSession> | HealthSession;
  readonly connectTimeoutMs: number;
  readonly clock: Clock;
}

/**
 * Any persistent session the application opens itself (an authenticated database client, say): up once
 * `open` resolves, lost as soon as the session's `closed` settles.
 */
export function sessionTarget(settings: SessionTargetSettings): Target {
  const description = `session ${settings.name}`;
  return { description, open: (observer) => new SessionLink(settings, description, observer) };
}

class SessionLink implements Link {
  readonly #description: string;
  readonly #observer: LinkObserver;
  readonly #lazy = new LazySignal();
  #timer: Timer;
  #state: 'connecting' | 'up' | 'closed' = 'connecting';
  #session: HealthSession | undefined;

  constructor(settings: SessionTargetSettings, description: string, observer: LinkObserver) {
    this.#description = description;
    this.#observer = observer;
    const { connectTimeoutMs } = settings;
    // Past the timeout, one more turn of the event loop (a 0 ms timer runs after its I/O): after a
    // blocked loop the session may be open, its answer unread.
    this.#timer = settings.clock.setTimer(connectTimeoutMs, () => {
      this.#timer = settings.clock.setTimer(0, () => {
        const message = `opening ${description} timed out after ${connectTimeoutMs} ms`;
        this.#fail(new TimeoutError(message, connectTimeoutMs));
      });
    });
    let opening: PromiseLike<HealthSession>;
    try {
      opening = Promise.resolve(settings.open(this.#lazy));
    } catch (error) {
      opening = Promise.reject(error);
    }
    opening.then(
      (session) => this.#opened(session),
      (error: unknown) => this.#fail(error),
    );
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#timer.cancel();
    this.#lazy.abort(
      new DOMException(`health check of ${this.#description} stopped`, 'AbortError'),
    );
    if (this.#session !== undefined) release(this.#session);
  }

  #opened(session: HealthSession): void {
    if (this.#state !== 'connecting') {
      release(session); // opened after a timeout or a stop: nobody wants it
      return;
    }
    this.#state = 'up';
    this.#session = session;
    this.#timer.cancel();
    Promise.resolve(session.closed).then(
      () => this.#lost(undefined),
      (error: unknown) => this.#lost(error),
    );
    this.#observer.up();
  }

  #fail(error: unknown): void {
    if (this.#state !== 'connecting') return;
    this.close();
    this.#observer.failed(error);
  }

  #lost(cause: unknown): void {
    if (this.#state !== 'up') return;
    this.#state = 'closed';
    const options = cause === undefined ? undefined : { cause };
    this.#observer.lost(stackless(() => new PeerClosedError(this.#description, options)));
  }
}

/** Closes a session, ignoring how that goes: it is being thrown away. */
function release(session: HealthSession): void {
  try {
    Promise.resolve(session.close()).catch(() => undefined);
  } catch {
    // closing a broken session may throw; there is nothing left to do with it
  }
}
