import type { RedisReplyError } from '../../errors/index.js';

/** A RESP3 verbatim string (`=`): text with its format (`txt`, `mkd`). `String(v)` gives the text. */
export class VerbatimString {
  constructor(
    /** Three letters: `txt` for plain text, `mkd` for markdown. */
    readonly format: string,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** A RESP3 push frame (`>`): data the server sends on its own (pub/sub messages, tracking invalidations). */
export class RespPush {
  constructor(readonly items: RespValue[]) {}

  /** The push kind, its first item (`message`, `invalidate`, …); empty when that is not text. */
  get kind(): string {
    const first = this.items[0];
    if (typeof first === 'string') return first;
    return Buffer.isBuffer(first) ? first.toString('utf8') : '';
  }
}

/** A value that came with RESP3 attributes (`|`): extra data about the reply, which callers may ignore. */
export class RespAttributed {
  constructor(
    readonly attributes: Map<RespValue, RespValue>,
    readonly value: RespValue,
  ) {}
}

/**
 * A decoded RESP2/RESP3 value. Simple and bulk strings are `string` (or `Buffer` with `returnBuffers`),
 * integers `number` (`bigint` past 2^53), doubles `number`, big numbers `bigint`, nulls `null`, arrays
 * `RespValue[]`, maps `Map`, sets `Set`, errors inside aggregates `RedisReplyError`, and the RESP3 kinds
 * without a JS equivalent the classes above.
 */
export type RespValue =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | RedisReplyError
  | VerbatimString
  | RespPush
  | RespAttributed
  | RespValue[]
  | Map<RespValue, RespValue>
  | Set<RespValue>;

/** One argument of a command: strings are sent as UTF-8, numbers in decimal, buffers as they are. */
export type RedisArg = string | number | bigint | Buffer | Uint8Array;

/** A command: its name and arguments, such as `['SET', 'key', 'value', 'EX', 60]`. */
export type RedisCommand = readonly RedisArg[];
