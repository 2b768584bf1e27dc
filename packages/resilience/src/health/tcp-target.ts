import { connect, type Socket } from 'node:net';
import type { Clock, Timer } from '../clock/index.js';
import { PeerClosedError, TimeoutError } from '../errors/index.js';
import { stackless } from './stackless.js';
import type { Link, LinkObserver, Target } from './target.js';

/** A validated ping. */
export interface TcpPing {
  readonly request: string | Uint8Array;
  readonly isReply: (received: Buffer) => boolean;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Settings of a {@link tcpTarget}, validated. */
export interface TcpTargetSettings {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveMs: number | false;
  readonly ping: TcpPing | undefined;
  readonly clock: Clock;
}

/** Replies longer than this without `isReply` saying yes are treated as a broken peer. */
const MAX_REPLY_BYTES = 64 * 1024;

/** A persistent TCP connection: up once connected, lost as soon as the socket closes or a ping fails. */
export function tcpTarget(settings: TcpTargetSettings): Target {
  const description = `tcp ${settings.host}:${settings.port}`;
  return { description, open: (observer) => new TcpLink(settings, description, observer) };
}

/** A batch of closed sockets is destroyed once this long passes with no new arrival… */
const SWEEP_MS = 25;
/** …or this long after its first arrival, whichever comes first. */
const MAX_WAIT_MS = 1000;

/**
 * Sockets whose peer closed, waiting to be destroyed. When thousands of peers close at once (a server
 * restarting, a network partition healing into resets), destroying each socket as its FIN arrives would
 * delay reporting the others by that teardown's cost; the graveyard destroys them in one sweep once the
 * arrivals stop (or after `MAX_WAIT_MS`). The peer has closed already: nothing waits on our side's close.
 */
class Graveyard {
  #sockets: Socket[] = [];
  #arrived = false;
  #first = 0;
  #timer: Timer | undefined;

  constructor(private readonly clock: Clock) {}

  add(socket: Socket): void {
    this.#sockets.push(socket);
    this.#arrived = true;
    if (this.#timer !== undefined) return;
    this.#first = this.clock.monotonic();
    this.#arm();
  }

  #arm(): void {
    this.#timer = this.clock.setTimer(SWEEP_MS, () => this.#sweep());
  }

  #sweep(): void {
    this.#timer = undefined;
    if (this.#arrived && this.clock.monotonic() - this.#first < MAX_WAIT_MS) {
      this.#arrived = false;
      this.#arm();
      return;
    }
    const sockets = this.#sockets;
    this.#sockets = [];
    this.#arrived = false;
    for (const socket of sockets) socket.destroy();
  }
}

const graveyards = new WeakMap<Clock, Graveyard>();

function bury(socket: Socket, clock: Clock): void {
  let graveyard = graveyards.get(clock);
  if (graveyard === undefined) graveyards.set(clock, (graveyard = new Graveyard(clock)));
  graveyard.add(socket);
}

class TcpLink implements Link {
  readonly #socket: Socket;
  readonly #settings: TcpTargetSettings;
  readonly #description: string;
  readonly #observer: LinkObserver;
  #state: 'connecting' | 'up' | 'closed' = 'connecting';
  #error: unknown;
  #timer: Timer | undefined;
  #received: Buffer[] | undefined;
  #receivedBytes = 0;

  constructor(settings: TcpTargetSettings, description: string, observer: LinkObserver) {
    this.#settings = settings;
    this.#description = description;
    this.#observer = observer;
    const socket = connect({
      host: settings.host,
      port: settings.port,
      noDelay: true,
      // Node would answer the peer's FIN with a shutdown of its own before our 'end' listener runs;
      // the link tears the socket down itself, after the drop is reported.
      allowHalfOpen: true,
      keepAlive: settings.keepAliveMs !== false,
      ...(settings.keepAliveMs === false ? {} : { keepAliveInitialDelay: settings.keepAliveMs }),
    });
    this.#socket = socket;
    socket.on('error', (error) => (this.#error ??= error));
    socket.on('close', () => this.#onClose());
    // The peer's FIN is the drop: report it now, and tear the socket down once the other drops arriving
    // with it are reported too (see Graveyard).
    socket.on('end', () => {
      this.#onClose();
      bury(socket, settings.clock);
    });
    socket.once('connect', () => this.#onConnect());
    if (settings.ping === undefined)
      socket.resume(); // nothing to read: discard whatever comes
    else socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const { connectTimeoutMs } = settings;
    this.#timer = settings.clock.setTimer(connectTimeoutMs, () =>
      this.#expire(() => {
        const message = `connect to ${description} timed out after ${connectTimeoutMs} ms`;
        return new TimeoutError(message, connectTimeoutMs);
      }),
    );
  }

  close(): void {
    this.#state = 'closed';
    this.#timer?.cancel();
    this.#socket.destroy(); // also a socket waiting in the graveyard
  }

  #onConnect(): void {
    if (this.#state !== 'connecting') return;
    this.#timer?.cancel();
    this.#timer = undefined; // a cancelled timer still holds its closure: let it go
    this.#state = 'up';
    this.#schedulePing();
    this.#observer.up();
  }

  #onClose(): void {
    const state = this.#state;
    if (state === 'closed') return;
    this.#state = 'closed';
    this.#timer?.cancel();
    if (state === 'connecting') {
      this.#observer.failed(this.#error ?? stackless(() => new PeerClosedError(this.#description)));
    } else {
      const cause = this.#error;
      const options = cause === undefined ? undefined : { cause };
      this.#observer.lost(stackless(() => new PeerClosedError(this.#description, options)));
    }
  }

  /**
   * A timeout fired. Timers run before I/O in each turn of the event loop, so after the loop was blocked
   * (thousands of checkers started in one go, a long synchronous task) an answer may be waiting unread:
   * give it one more turn — a 0 ms timer runs after this turn's I/O — before calling it a timeout.
   */
  #expire(timeout: () => Error): void {
    const state = this.#state;
    const pinging = this.#received;
    this.#timer = this.#settings.clock.setTimer(0, () => {
      if (this.#state === state && this.#received === pinging) this.#destroy(timeout());
    });
  }

  #destroy(error: Error): void {
    this.#error ??= error;
    this.#socket.destroy();
  }

  #schedulePing(): void {
    const ping = this.#settings.ping;
    if (ping === undefined || this.#state !== 'up') return;
    this.#timer = this.#settings.clock.setTimer(ping.intervalMs, () => this.#sendPing(ping));
  }

  #sendPing(ping: TcpPing): void {
    if (this.#state !== 'up') return;
    this.#received = [];
    this.#receivedBytes = 0;
    this.#timer = this.#settings.clock.setTimer(ping.timeoutMs, () =>
      this.#expire(() => {
        const message = `no ping reply from ${this.#description} within ${ping.timeoutMs} ms`;
        return new TimeoutError(message, ping.timeoutMs);
      }),
    );
    this.#socket.write(ping.request);
  }

  #onData(chunk: Buffer): void {
    const received = this.#received;
    const ping = this.#settings.ping;
    if (received === undefined || ping === undefined || this.#state !== 'up') return; // unsolicited
    received.push(chunk);
    this.#receivedBytes += chunk.length;
    let complete: boolean;
    try {
      complete = ping.isReply(received.length === 1 ? chunk : Buffer.concat(received));
    } catch (error) {
      this.#destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!complete) {
      if (this.#receivedBytes > MAX_REPLY_BYTES) {
        this.#destroy(
          new Error(`ping reply from ${this.#description} exceeds ${MAX_REPLY_BYTES} bytes`),
        );
      }
      return;
    }
    this.#received = undefined;
    this.#timer?.cancel();
    this.#schedulePing();
  }
}
