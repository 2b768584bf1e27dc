import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { systemClock, systemRandom, type Clock, type Random } from '../clock/index.js';
import { BackoffPolicy, exponential } from '../backoff/index.js';
import type { Codec } from './codec.js';
import type { HandshakeSession } from './handshake.js';
import {
  checkCount,
  checkFunction,
  checkMs,
  checkPort,
  checkString,
  formatAddress,
} from './validate.js';

/** Options of {@link createConnection}. */
export interface ConnectionOptions<Req, Res> {
  /** The protocol. */
  readonly codec: Codec<Req, Res>;
  /** Host name or IP address. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port (required). */
  readonly port: number;
  /** TLS: `true` for defaults, or `tls.connect` options (ca, cert, key, servername, …). Default plain TCP. */
  readonly tls?: boolean | TlsOptions;
  /**
   * Runs on every (re)connect before queued requests go out (AUTH, SELECT, HELLO). Requests sent through
   * `session` bypass the queue. A rejection fails the attempt (the socket is closed and the connection
   * backs off and retries).
   */
  readonly handshake?: (session: HandshakeSession<Req, Res>) => Promise<void>;
  /** Limit for opening the socket, TLS and the handshake, in ms. Default 10,000. */
  readonly connectTimeoutMs?: number;
  /** Default per-request timeout in ms, from the call until the reply (`Infinity`: none). Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** Delays between connect attempts. Default exponential from 50 ms, ×2, capped at 5 s, full jitter, forever. */
  readonly reconnect?: BackoffPolicy;
  /**
   * Most requests waiting to be sent (while disconnected, or while the socket drains); past it requests
   * fail at once with `QUEUE_FULL`. 0 fails requests at once whenever they cannot be sent. Default 100,000.
   */
  readonly maxQueue?: number;
  /** Largest frame (partial reply) held in memory before the peer is cut off with `PROTOCOL_ERROR`. Default 512 MiB. */
  readonly maxFrameBytes?: number;
  /** Push frames buffered for a slow `pushes()` consumer before the socket is paused. Default 1,000. */
  readonly pushHighWaterMark?: number;
  /** How long a graceful `close()` waits for outstanding requests before it forces. Default 5,000 ms. */
  readonly closeTimeoutMs?: number;
  /**
   * When a sent request has timed out and nothing at all has been read for `requestTimeoutMs` since, drop
   * the connection as unresponsive and reconnect. Default true.
   */
  readonly dropUnresponsive?: boolean;
  /** Connect as soon as it is created. With false, it connects on `connect()` or when a supervisor runs it. Default true. */
  readonly autoConnect?: boolean;
  /** TCP keep-alive probe delay in ms (0 turns keep-alive off). Default 30,000. */
  readonly keepAliveMs?: number;
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Jitter source for the reconnect policy. Default `Math.random`. */
  readonly random?: Random;
}

/** Options with every default applied. */
export interface ResolvedConnectionOptions<Req, Res> {
  readonly codec: Codec<Req, Res>;
  readonly host: string;
  readonly port: number;
  readonly where: string;
  readonly tls: TlsOptions | undefined;
  readonly handshake: ((session: HandshakeSession<Req, Res>) => Promise<void>) | undefined;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly reconnect: BackoffPolicy;
  readonly maxQueue: number;
  readonly maxFrameBytes: number;
  readonly pushHighWaterMark: number;
  readonly closeTimeoutMs: number;
  readonly dropUnresponsive: boolean;
  readonly autoConnect: boolean;
  readonly keepAliveMs: number;
  readonly clock: Clock;
  readonly random: Random;
}

/** The default reconnect policy: exponential from 50 ms, capped at 5 s, full jitter, never giving up. */
export const defaultReconnectPolicy: BackoffPolicy = exponential({
  initialMs: 50,
  maxMs: 5000,
  jitter: 'full',
});

/** Validates `options` once and merges the defaults; throws naming the bad option. */
export function resolveConnectionOptions<Req, Res>(
  options: ConnectionOptions<Req, Res>,
): ResolvedConnectionOptions<Req, Res> {
  const where = 'createConnection';
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TypeError(`${where}: options must be an object with at least codec and port`);
  }
  const codec = options.codec as Partial<Codec<Req, Res>> | undefined;
  if (typeof codec?.encode !== 'function' || typeof codec.createDecoder !== 'function') {
    throw new TypeError(`${where}: codec must have encode() and createDecoder()`);
  }
  checkFunction(where, 'codec.isPush', codec.isPush);
  checkFunction(where, 'codec.replyError', codec.replyError);
  checkFunction(where, 'handshake', options.handshake);
  const host = checkString(where, 'host', options.host ?? '127.0.0.1');
  const port = checkPort(where, options.port);
  if (options.reconnect !== undefined && !(options.reconnect instanceof BackoffPolicy)) {
    throw new TypeError(
      `${where}: reconnect must be a backoff policy (exponential(), constant(), …)`,
    );
  }
  const tls = options.tls;
  const rawTls: unknown = tls;
  if (
    rawTls !== undefined &&
    typeof rawTls !== 'boolean' &&
    (typeof rawTls !== 'object' || rawTls === null)
  ) {
    throw new TypeError(`${where}: tls must be true, false or tls.connect options`);
  }
  return {
    codec: options.codec,
    host,
    port,
    where: formatAddress(host, port),
    tls: tls === true ? {} : tls === false ? undefined : tls,
    handshake: options.handshake,
    connectTimeoutMs: checkMs(where, 'connectTimeoutMs', options.connectTimeoutMs ?? 10_000, true),
    requestTimeoutMs: checkMs(where, 'requestTimeoutMs', options.requestTimeoutMs ?? 10_000, true),
    reconnect: options.reconnect ?? defaultReconnectPolicy,
    maxQueue: checkCount(where, 'maxQueue', options.maxQueue ?? 100_000, 0, true),
    maxFrameBytes: checkCount(
      where,
      'maxFrameBytes',
      options.maxFrameBytes ?? 512 * 1024 * 1024,
      1,
    ),
    pushHighWaterMark: checkCount(where, 'pushHighWaterMark', options.pushHighWaterMark ?? 1000, 1),
    closeTimeoutMs: checkMs(where, 'closeTimeoutMs', options.closeTimeoutMs ?? 5000),
    dropUnresponsive: options.dropUnresponsive ?? true,
    autoConnect: options.autoConnect ?? true,
    keepAliveMs: checkMs(where, 'keepAliveMs', options.keepAliveMs ?? 30_000),
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
  };
}
