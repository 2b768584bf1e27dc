import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { BackoffPolicy } from '../../backoff/index.js';
import type { Clock, Random } from '../../clock/index.js';
import { checkCount, checkString } from '../validate.js';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 6379. */
  readonly port?: number;
  /** ACL user name (Redis 6+); with `password`. */
  readonly username?: string;
  /** Sent with AUTH (or HELLO's AUTH) on every connect. */
  readonly password?: string;
  /** Database selected on every connect. Default 0. */
  readonly db?: number;
  /** Protocol version: 3 sends `HELLO 3` (maps, sets, pushes, doubles…). Default 2, which every Redis speaks. */
  readonly resp?: 2 | 3;
  /** `CLIENT SETNAME` on every connect, so the connection shows in `CLIENT LIST`. */
  readonly name?: string;
  /** TLS: `true`, or `tls.connect` options (ca, cert, key, servername…). */
  readonly tls?: boolean | TlsOptions;
  /** Bulk strings as `Buffer` rather than UTF-8 `string`. Default false. */
  readonly returnBuffers?: boolean;
  /** Default 10,000 ms. See `ConnectionOptions`. */
  readonly connectTimeoutMs?: number;
  /** Default per-command timeout, 10,000 ms (`Infinity` for blocking commands such as BLPOP 0). */
  readonly requestTimeoutMs?: number;
  /** Reconnect delays. Default exponential 50 ms → 5 s, full jitter. */
  readonly reconnect?: BackoffPolicy;
  /** Commands waiting while disconnected before `QUEUE_FULL`. Default 100,000. */
  readonly maxQueue?: number;
  /** Default 5,000 ms. See `ConnectionOptions`. */
  readonly closeTimeoutMs?: number;
  /** Default true. See `ConnectionOptions`. */
  readonly autoConnect?: boolean;
  /** Default true. See `ConnectionOptions`. */
  readonly dropUnresponsive?: boolean;
  /** Largest reply held in memory. Default 512 MiB (Redis's own proto-max-bulk-len). */
  readonly maxFrameBytes?: number;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Checks the Redis-specific options; the connection checks the rest. */
export function checkRedisOptions(options: RedisClientOptions): void {
  const where = 'createRedisClient';
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TypeError(`${where}: options must be an object`);
  }
  if (options.username !== undefined) checkString(where, 'username', options.username);
  if (options.password !== undefined && typeof options.password !== 'string') {
    throw new TypeError(`${where}: password must be a string`);
  }
  if (options.username !== undefined && options.password === undefined) {
    throw new TypeError(`${where}: username needs a password`);
  }
  if (options.name !== undefined && !/^[!-~]+$/.test(options.name)) {
    throw new TypeError(
      `${where}: name must be printable ASCII without spaces, got ${JSON.stringify(options.name)}`,
    );
  }
  if (options.db !== undefined) checkCount(where, 'db', options.db, 0);
  const resp: unknown = options.resp;
  if (resp !== undefined && resp !== 2 && resp !== 3) {
    throw new RangeError(`${where}: resp must be 2 or 3, got ${JSON.stringify(resp)}`);
  }
}
