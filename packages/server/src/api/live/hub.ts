import { Deque, type Clock, type Timer } from '@vigil/resilience';
import type { MonitorSummary } from '../views.js';

/** The part of a WebSocket the hub uses (the `ws` package's WebSocket fits). */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A result as the live feed carries it. */
export interface LiveResult {
  readonly id: string;
  readonly outcome: string;
  readonly latencyMs: number;
  readonly at: string;
  readonly message: string;
}

/** Options of {@link LiveHub}. */
export interface LiveHubOptions {
  readonly clock: Clock;
  /** Every monitor's current summary, for snapshots. */
  readonly snapshot: () => MonitorSummary[];
  /** Events arriving within this window go out as one delta. Default 25 ms. */
  readonly coalesceMs?: number;
  /** A client with more than this many bytes waiting is skipped, then sent a fresh snapshot. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Deltas kept for clients resuming after a reconnect, by total size. Default 8 MiB. */
  readonly historyBytes?: number;
  /** An idle feed sends a `tick` this often so clients can tell it is alive. Default 15 s. */
  readonly tickMs?: number;
  /**
   * The `seq` before the first message. Default: the wall clock in ms when the hub is made, so that a
   * board resuming across a server restart (with the `seq` of the old server's feed) is never taken to
   * be a position in this feed: the old `seq` is below this feed's history and gets a snapshot. (A feed
   * sends at most ~40 messages a second, far fewer than the milliseconds between two starts.)
   */
  readonly firstSeq?: number;
}

interface Client {
  readonly socket: LiveSocket;
  /** It fell behind: it gets a snapshot as soon as its buffer drains, instead of the deltas it missed. */
  stale: boolean;
}

/**
 * The live feed of the board: a snapshot on subscribe, then coalesced deltas (status changes and results),
 * each serialised once for every client. A slow client never costs unbounded memory: past
 * `maxBufferedBytes` it stops receiving deltas and gets a fresh snapshot once it catches up. A client that
 * reconnects with the last `seq` it saw gets the deltas it missed, or a snapshot when they are gone.
 */
export class LiveHub {
  readonly #options: Required<LiveHubOptions>;
  readonly #clients = new Set<Client>();
  readonly #history = new Deque<{ seq: number; text: string }>();
  #historyBytes = 0;
  #seq = 0;
  #monitors = new Map<string, MonitorSummary>();
  #results = new Map<string, LiveResult>();
  #flushTimer: Timer | undefined;
  #tickTimer: Timer | undefined;
  #snapshotCache: { seq: number; at: number; text: string } | undefined;

  constructor(options: LiveHubOptions) {
    this.#options = {
      coalesceMs: 25,
      maxBufferedBytes: 1 << 20,
      historyBytes: 8 << 20,
      tickMs: 15_000,
      firstSeq: options.clock.now(),
      ...options,
    };
    this.#seq = this.#options.firstSeq;
    this.#armTick();
  }

  get clients(): number {
    return this.#clients.size;
  }

  get seq(): number {
    return this.#seq;
  }

  /** A monitor's status, reason or lifecycle changed. */
  monitorChanged(summary: MonitorSummary): void {
    this.#monitors.set(summary.id, summary);
    this.#schedule();
  }

  /** A check completed. */
  resultArrived(result: LiveResult): void {
    this.#results.set(result.id, result);
    this.#schedule();
  }

  /** Subscribes a socket: it gets the deltas after `since` when they are still kept, else a snapshot. */
  attach(socket: LiveSocket, since?: number): () => void {
    const client: Client = { socket, stale: false };
    this.#clients.add(client);
    const missed = since === undefined ? undefined : this.#since(since);
    if (missed === undefined) this.#sendSnapshot(client);
    else for (const text of missed) socket.send(text);
    return () => this.#clients.delete(client);
  }

  /** Sends what is pending now (also runs on its own after `coalesceMs`). */
  flush(): void {
    this.#flushTimer?.cancel();
    this.#flushTimer = undefined;
    if (this.#monitors.size === 0 && this.#results.size === 0) return;
    const seq = ++this.#seq;
    const text = JSON.stringify({
      type: 'delta',
      seq,
      monitors: [...this.#monitors.values()],
      results: [...this.#results.values()],
    });
    this.#monitors = new Map();
    this.#results = new Map();
    this.#remember(seq, text);
    for (const client of this.#clients) this.#deliver(client, text);
    this.#armTick();
  }

  /** Stops the timers and closes every client. */
  close(): void {
    this.#flushTimer?.cancel();
    this.#tickTimer?.cancel();
    for (const client of this.#clients) client.socket.close(1001, 'server shutting down');
    this.#clients.clear();
  }

  #schedule(): void {
    this.#flushTimer ??= this.#options.clock.setTimer(this.#options.coalesceMs, () => this.flush());
  }

  #deliver(client: Client, text: string): void {
    if (client.socket.bufferedAmount > this.#options.maxBufferedBytes) {
      client.stale = true;
      return;
    }
    if (client.stale) this.#sendSnapshot(client);
    else client.socket.send(text);
  }

  #sendSnapshot(client: Client): void {
    client.stale = false;
    client.socket.send(this.#snapshotText());
  }

  /**
   * A snapshot serialised once for every client that subscribes at the same `seq` (500 boards reconnecting
   * after a restart cost one serialisation, not 500). Changes not yet flushed reach those clients in the next
   * delta, as they would with a fresh snapshot; the cache lives at most a second, for changes (a config
   * reload) that bring no event.
   */
  #snapshotText(): string {
    const now = this.#options.clock.monotonic();
    const cached = this.#snapshotCache;
    if (cached?.seq === this.#seq && now - cached.at < 1000) return cached.text;
    const text = JSON.stringify({
      type: 'snapshot',
      seq: this.#seq,
      monitors: this.#options.snapshot(),
    });
    this.#snapshotCache = { seq: this.#seq, at: now, text };
    return text;
  }

  #since(seq: number): string[] | undefined {
    if (seq === this.#seq) return [];
    const first = this.#history.peek();
    if (seq > this.#seq || first === undefined || first.seq > seq + 1) return undefined;
    const out: string[] = [];
    for (const entry of this.#history) if (entry.seq > seq) out.push(entry.text);
    return out;
  }

  #remember(seq: number, text: string): void {
    this.#history.push({ seq, text });
    this.#historyBytes += text.length;
    while (this.#historyBytes > this.#options.historyBytes && this.#history.size > 1) {
      this.#historyBytes -= this.#history.shift()?.text.length ?? 0;
    }
  }

  #armTick(): void {
    this.#tickTimer?.cancel();
    this.#tickTimer = this.#options.clock.setTimer(this.#options.tickMs, () => {
      const text = JSON.stringify({ type: 'tick', seq: this.#seq });
      for (const client of this.#clients) this.#deliver(client, text);
      this.#armTick();
    });
  }
}
