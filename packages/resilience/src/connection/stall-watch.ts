import type { Clock, Timer } from '../clock/index.js';
import { TimeoutError } from '../errors/index.js';

/** The parts of a link the watch looks at. */
export interface WatchedLink {
  readonly closed: boolean;
  readonly lastReadAt: number;
  lose(error: Error): void;
}

/**
 * Watches for an unresponsive peer: once a sent request has timed out, if nothing at all is read from
 * the link for `timeoutMs`, and the oldest request in flight is still one that timed out, the link is
 * dropped (its in-flight requests then fail with `CONNECTION_LOST` and the connection reconnects).
 */
export class StallWatch {
  #timer: Timer | undefined;

  constructor(
    readonly clock: Clock,
    readonly where: string,
    /** True while the oldest request in flight has already been answered (timed out, aborted). */
    readonly headOverdue: () => boolean,
  ) {}

  /** A sent request on `link` timed out after `timeoutMs`. */
  arm(link: WatchedLink, timeoutMs: number): void {
    if (this.#timer !== undefined) return;
    const check = (): void => {
      this.#timer = undefined;
      if (link.closed || !this.headOverdue()) return;
      const quietMs = this.clock.monotonic() - link.lastReadAt;
      if (quietMs < timeoutMs) {
        this.#timer = this.clock.setTimer(timeoutMs - quietMs, check);
        return;
      }
      link.lose(
        new TimeoutError(
          `${this.where} sent nothing for ${Math.round(quietMs)} ms while a request was overdue; dropped the connection as unresponsive`,
          timeoutMs,
        ),
      );
    };
    this.#timer = this.clock.setTimer(timeoutMs, check);
  }

  cancel(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
