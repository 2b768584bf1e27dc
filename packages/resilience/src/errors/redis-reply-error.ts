import { VigilError, hasErrorCode } from './vigil-error.js';

/** Error prefixes Redis uses for conditions that pass on their own. */
const TRANSIENT = new Set([
  'LOADING',
  'BUSY',
  'TRYAGAIN',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'NOREPLICAS',
]);

/**
 * Redis answered a command with an error reply (`-ERR …`, `-WRONGTYPE …`, a RESP3 blob error). `prefix`
 * is its first word (`ERR`, `WRONGTYPE`, `NOAUTH`, `MOVED`, …) and `reply` the text as Redis sent it.
 * Retryable only for transient conditions (`LOADING`, `BUSY`, `TRYAGAIN`, `MASTERDOWN`, `CLUSTERDOWN`,
 * `NOREPLICAS`).
 */
export class RedisReplyError extends VigilError {
  readonly code = 'REDIS_REPLY_ERROR' as const;
  readonly retryable: boolean;
  /** The first word of the reply, such as `WRONGTYPE`. */
  readonly prefix: string;

  constructor(
    /** The error text exactly as Redis sent it. */
    readonly reply: string,
    /** Where and to what it was replied, for the message (`GET at 127.0.0.1:6379`); empty when unknown. */
    context = '',
  ) {
    super(context === '' ? reply : `${reply} (${context})`);
    const space = reply.indexOf(' ');
    this.prefix = space === -1 ? reply : reply.slice(0, space);
    this.retryable = TRANSIENT.has(this.prefix);
  }
}

/** True when `value` is a {@link RedisReplyError} (checked by its brand and code, not `instanceof`). */
export function isRedisReplyError(value: unknown): value is RedisReplyError {
  return hasErrorCode(value, 'REDIS_REPLY_ERROR');
}
