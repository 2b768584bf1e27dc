import { timingSafeEqual } from 'node:crypto';
import { Emitter, type Clock, type ListenerErrorHandler } from '@vigil/resilience';
import type { Heartbeat, HeartbeatSource } from '../check-kind.js';
import { parseHeartbeatInput, type HeartbeatInput } from './heartbeat-input.js';
import { derivePushToken, PUSH_TOKEN, tokenDigest } from './push-token.js';

/** A push monitor the registry accepts heartbeats for. */
export interface PushMonitor {
  readonly monitorId: string;
  /** Its configured token; without one, a token is derived from the registry's secret. */
  readonly token?: string | undefined;
}

/** Options of {@link createHeartbeatRegistry}. */
export interface HeartbeatRegistryOptions {
  /** Stamps heartbeats with its wall time. */
  readonly clock: Clock;
  /** The server secret tokens are derived from for push monitors configured without one. */
  readonly secret?: string | Uint8Array | undefined;
  /** Where a heartbeat listener that threw is reported (default: a process warning). */
  readonly onListenerError?: ListenerErrorHandler;
}

/** A heartbeat accepted for a monitor. */
export interface HeartbeatEvent {
  readonly monitorId: string;
  readonly heartbeat: Heartbeat;
}

/**
 * The outcome of {@link HeartbeatRegistry.record}: the monitor it was for, or why it was refused
 * (`UNKNOWN_TOKEN` → HTTP 404, `INVALID_INPUT` → HTTP 400).
 */
export type RecordResult =
  | ({ readonly ok: true } & HeartbeatEvent)
  | {
      readonly ok: false;
      readonly code: 'UNKNOWN_TOKEN' | 'INVALID_INPUT';
      readonly message: string;
    };

interface Entry {
  readonly monitorId: string;
  readonly token: string;
  readonly digest: Buffer;
}

/**
 * Receives the heartbeats of `push` monitors by token and keeps the last one of each: the check reads it
 * through {@link HeartbeatSource}, the engine subscribes with {@link onHeartbeat} to check at once.
 */
export class HeartbeatRegistry implements HeartbeatSource {
  readonly #clock: Clock;
  readonly #secret: string | Uint8Array | undefined;
  readonly #events: Emitter<{ heartbeat: HeartbeatEvent }>;
  /** By hex SHA-256 digest of the token. */
  #byDigest = new Map<string, Entry>();
  #byMonitor = new Map<string, Entry>();
  readonly #last = new Map<string, Heartbeat>();

  constructor(options: HeartbeatRegistryOptions) {
    this.#clock = options.clock;
    this.#secret = options.secret;
    this.#events = new Emitter(options.onListenerError);
  }

  /**
   * Makes `monitors` the push monitors heartbeats are accepted for (call it with every config load).
   * Monitors no longer listed are forgotten with their last heartbeat; kept ones keep theirs. Throws a
   * `RangeError` naming the monitors, and changes nothing, when a token is shared, malformed, or missing
   * without a secret to derive it from.
   */
  sync(monitors: Iterable<PushMonitor>): void {
    const byDigest = new Map<string, Entry>();
    const byMonitor = new Map<string, Entry>();
    for (const m of monitors) {
      const token = this.#tokenFor(m);
      const digest = tokenDigest(token);
      const key = digest.toString('hex');
      const other = byDigest.get(key);
      if (other !== undefined)
        throw new RangeError(
          `push monitors "${other.monitorId}" and "${m.monitorId}" have the same token; give each its own`,
        );
      const entry = { monitorId: m.monitorId, token, digest };
      byDigest.set(key, entry);
      byMonitor.set(m.monitorId, entry);
    }
    this.#byDigest = byDigest;
    this.#byMonitor = byMonitor;
    for (const id of this.#last.keys()) if (!byMonitor.has(id)) this.#last.delete(id);
  }

  /** The token a monitor's pusher must use (to show its push URL to an administrator). */
  tokenOf(monitorId: string): string | undefined {
    return this.#byMonitor.get(monitorId)?.token;
  }

  /** The last heartbeat accepted for `monitorId`, if any since it was registered. */
  last(monitorId: string): Heartbeat | undefined {
    return this.#last.get(monitorId);
  }

  /**
   * Accepts a heartbeat sent with `token`: validates the input, stamps it with the clock's wall time,
   * keeps it as the monitor's last and tells the listeners. The token is compared in constant time.
   */
  record(token: string, input: HeartbeatInput = {}): RecordResult {
    const entry = this.#find(token);
    if (entry === undefined)
      return { ok: false, code: 'UNKNOWN_TOKEN', message: 'no push monitor has this token' };
    const parsed = parseHeartbeatInput(input);
    if (!parsed.ok) return { ok: false, code: 'INVALID_INPUT', message: parsed.message };
    const { ok: _ok, ...content } = parsed;
    const heartbeat: Heartbeat = { at: this.#clock.now(), ...content };
    this.#last.set(entry.monitorId, heartbeat);
    const event = { monitorId: entry.monitorId, heartbeat };
    this.#events.emit('heartbeat', event);
    return { ok: true, ...event };
  }

  /** Calls `listener` after each accepted heartbeat; returns a function that unsubscribes it. */
  onHeartbeat(listener: (event: HeartbeatEvent) => void): () => void {
    return this.#events.on('heartbeat', listener);
  }

  #tokenFor(m: PushMonitor): string {
    if (m.token !== undefined) {
      if (!PUSH_TOKEN.test(m.token))
        throw new RangeError(`push monitor "${m.monitorId}": token is not a valid push token`);
      return m.token;
    }
    if (this.#secret === undefined)
      throw new RangeError(
        `push monitor "${m.monitorId}" has no token and the server has no secret to derive one; set push.token`,
      );
    return derivePushToken(this.#secret, m.monitorId);
  }

  // The map is keyed by the token's SHA-256 digest, so the lookup's timing depends on the digest, which an
  // attacker cannot steer towards a real token; the final comparison is constant-time all the same.
  #find(token: string): Entry | undefined {
    if (!PUSH_TOKEN.test(token)) return undefined;
    const digest = tokenDigest(token);
    const entry = this.#byDigest.get(digest.toString('hex'));
    return entry !== undefined && timingSafeEqual(entry.digest, digest) ? entry : undefined;
  }
}

/** Creates a {@link HeartbeatRegistry} (empty: call `sync` with the config's push monitors). */
export function createHeartbeatRegistry(options: HeartbeatRegistryOptions): HeartbeatRegistry {
  return new HeartbeatRegistry(options);
}
