/** Told how one link to a target fares. At most one of `up`/`failed` is called, and `lost` only after `up`. */
export interface LinkObserver {
  /** The link is up: the connection is open, or the probe passed. */
  up(): void;
  /** The attempt to bring it up failed. */
  failed(error: unknown): void;
  /** A link that was up broke (socket closed, ping or probe failed). */
  lost(error: unknown): void;
}

/** One link to a target, connecting or up. `close()` tears it down; no callback follows it. */
export interface Link {
  close(): void;
}

/**
 * What a health checker watches. Each `open` is one attempt: it reports to `observer` and, once up, keeps
 * watching until the link breaks or is closed. Implementations never throw from `open`.
 */
export interface Target {
  /** E.g. `tcp 127.0.0.1:5432`. */
  readonly description: string;
  open(observer: LinkObserver): Link;
}
