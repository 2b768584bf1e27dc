import { signal } from '@preact/signals';
import { LiveState, type Change } from '../logic/live-state';
import { reconnectDelay } from '../logic/reconnect';
import type { LiveMessage, LiveResult, MonitorSummary } from '../types';
import { liveUrl } from './api';
import type { BrowserClock, Timer } from './clock';

export type Connection = 'connecting' | 'live' | 'offline';

/** Ticks come every 15 s; a feed silent for this long is presumed dead and reconnected. */
const SILENCE_MS = 40_000;

/**
 * The live feed as signals: the monitors (a snapshot, then deltas), the connection state and recent
 * changes. Reconnects forever on a jittered backoff, resuming from the last `seq` it saw.
 */
export class LiveFeed {
  readonly connection = signal<Connection>('connecting');
  /** Bumped whenever a monitor's summary changes; read it to re-render on changes. */
  readonly version = signal(0);
  readonly changes = signal<readonly Change[]>([]);
  /** Consecutive connection attempts that failed (0 while live). */
  readonly failures = signal(0);
  /** The browser has had at least one snapshot. */
  readonly loaded = signal(false);
  readonly #state = new LiveState();
  readonly #clock: BrowserClock;
  readonly #resultListeners = new Set<(result: LiveResult) => void>();
  #socket: WebSocket | undefined;
  #attempt = 0;
  #retry: Timer | undefined;
  #watchdog: Timer | undefined;
  #closed = false;

  constructor(clock: BrowserClock) {
    this.#clock = clock;
  }

  get monitors(): ReadonlyMap<string, MonitorSummary> {
    return this.#state.monitors;
  }

  start(): void {
    this.#closed = false;
    if (this.#socket === undefined && this.#retry === undefined) this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#retry?.cancel();
    this.#retry = undefined;
    this.#watchdog?.cancel();
    this.#socket?.close();
    this.#socket = undefined;
  }

  /** Calls `fn` with every result as it arrives; returns the unsubscribe function. */
  onResult(fn: (result: LiveResult) => void): () => void {
    this.#resultListeners.add(fn);
    return () => this.#resultListeners.delete(fn);
  }

  #connect(): void {
    this.#retry = undefined;
    this.connection.value = 'connecting';
    const socket = new WebSocket(liveUrl(this.#state.seq));
    this.#socket = socket;
    socket.onmessage = (event: MessageEvent<string>) => {
      this.#attempt = 0;
      this.failures.value = 0;
      this.connection.value = 'live';
      this.#arm();
      this.#receive(JSON.parse(event.data) as LiveMessage);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#watchdog?.cancel();
      if (this.#closed) return;
      this.connection.value = 'offline';
      this.failures.value += 1;
      const delay = reconnectDelay(this.#attempt++, this.#clock.random());
      this.#retry = this.#clock.setTimer(delay, () => this.#connect());
    };
    this.#arm();
  }

  #arm(): void {
    this.#watchdog?.cancel();
    this.#watchdog = this.#clock.setTimer(SILENCE_MS, () => this.#socket?.close());
  }

  #receive(message: LiveMessage): void {
    const applied = this.#state.apply(message, this.#clock.now());
    if (message.type === 'snapshot' && !this.loaded.value) {
      performance.mark('vigil:first-snapshot');
      this.loaded.value = true;
    }
    if (applied.monitors) this.version.value += 1;
    if (this.changes.value !== this.#state.changes) this.changes.value = this.#state.changes;
    for (const result of applied.results) for (const fn of this.#resultListeners) fn(result);
  }
}
