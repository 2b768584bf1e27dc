import { RedisReplyError, isRedisReplyError } from '../../errors/index.js';
import type { Codec } from '../codec.js';
import { RespDecoder } from './decoder.js';
import { encodeCommand, name } from './encoder.js';
import { RespPush, type RedisCommand, type RespValue } from './types.js';

/** Options of {@link respCodec}. */
export interface RespCodecOptions {
  /** Bulk strings as `Buffer` instead of UTF-8 `string`. Default false. */
  readonly returnBuffers?: boolean;
  /** `host:port`, named in Redis error messages. */
  readonly where?: string;
}

/**
 * The RESP codec: commands out (arrays of bulk strings), RESP2/RESP3 replies in. Error replies reject
 * their command with a `RedisReplyError` naming the command and server; RESP3 push frames go to
 * `pushes()`.
 */
export function respCodec(options: RespCodecOptions = {}): Codec<RedisCommand, RespValue> {
  const returnBuffers = options.returnBuffers ?? false;
  const context = options.where === undefined ? '' : ` at ${options.where}`;
  return {
    encode: encodeCommand,
    createDecoder: () => new RespDecoder({ returnBuffers }),
    isPush: (frame) => frame instanceof RespPush,
    replyError(frame, command) {
      // Most replies are strings or numbers: skip the brand check for them.
      if (typeof frame !== 'object' || !isRedisReplyError(frame)) return undefined;
      return new RedisReplyError(frame.reply, `reply to ${name(command)}${context}`);
    },
  };
}
