import { RedisReplyError } from '../../errors/index.js';
import { NEED_MORE, type Decoder, type NeedMore } from '../codec.js';
import { parseDouble, parseInteger, parseLength, protocolFault } from './scalars.js';
import { T, finish, toMap, wrap, type Aggregate } from './aggregate.js';
import { VerbatimString, type RespValue } from './types.js';

const CR = 13;
const LF = 10;
const QUESTION = 0x3f;

/** A partial bulk string at least this long is collected chunk by chunk and joined once. */
const COLLECT_FROM = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const CONTINUE: unique symbol = Symbol('continue');
const END: unique symbol = Symbol('end');

/** Options of {@link RespDecoder}. */
export interface RespDecoderOptions {
  /** Bulk strings as `Buffer` instead of UTF-8 `string`. Default false. */
  readonly returnBuffers?: boolean;
  /** Longest header or simple line accepted, in bytes. Default 1 MiB. */
  readonly maxLineBytes?: number;
}

/**
 * A streaming RESP2/RESP3 decoder, correct for any split of the byte stream. Aggregates are resumed where
 * they stopped (never re-parsed), and a large bulk string is collected chunk by chunk and joined once, so
 * decoding is linear in the bytes received. Frames parse straight from the socket's buffers.
 */
export class RespDecoder implements Decoder<RespValue> {
  #buf: Buffer = EMPTY;
  #pos = 0;
  /** Chunks of a large partial bulk string, and the bytes it needs in all. */
  #parts: Buffer[] | undefined;
  #partsBytes = 0;
  #need = 0;
  /** Bytes already parsed of the top-level frame in progress, and where this read started. */
  #partial = 0;
  #entry = 0;
  readonly #stack: Aggregate[] = [];
  #topAttributes: Map<RespValue, RespValue>[] | undefined;
  readonly #buffers: boolean;
  readonly #maxLine: number;

  constructor(options: RespDecoderOptions = {}) {
    this.#buffers = options.returnBuffers ?? false;
    this.#maxLine = options.maxLineBytes ?? 1024 * 1024;
  }

  get bufferedBytes(): number {
    return this.#buf.length - this.#pos + this.#partsBytes + this.#partial;
  }

  write(chunk: Buffer): void {
    if (this.#parts !== undefined) {
      this.#parts.push(chunk);
      this.#partsBytes += chunk.length;
      if (this.#partsBytes >= this.#need) {
        this.#buf = Buffer.concat(this.#parts, this.#partsBytes);
        this.#pos = 0;
        this.#parts = undefined;
        this.#partsBytes = 0;
      }
      return;
    }
    if (this.#pos >= this.#buf.length) {
      this.#buf = chunk;
    } else {
      this.#buf = Buffer.concat([this.#buf.subarray(this.#pos), chunk]);
    }
    this.#pos = 0;
  }

  read(): RespValue | NeedMore {
    if (this.#parts !== undefined) return NEED_MORE;
    const stack = this.#stack;
    this.#entry = this.#pos;
    for (;;) {
      let value = this.#element();
      if (value === NEED_MORE) {
        this.#partial = stack.length > 0 ? this.#partial + this.#pos - this.#entry : 0;
        return NEED_MORE;
      }
      if (value === CONTINUE) continue;
      // Fold the finished value into the aggregates it completes.
      for (;;) {
        const depth = stack.length;
        if (depth === 0) {
          this.#partial = 0;
          if (value === END) throw protocolFault('"." outside a streamed aggregate');
          if (this.#topAttributes === undefined) return value;
          const attributes = this.#topAttributes;
          this.#topAttributes = undefined;
          return wrap(attributes, value);
        }
        const top = stack[depth - 1] as Aggregate;
        if (value === END) {
          if (top.remaining !== -1) throw protocolFault('"." inside a sized aggregate');
        } else {
          if (top.attributes !== undefined) {
            value = wrap(top.attributes, value);
            top.attributes = undefined;
          }
          top.items.push(value);
          if (top.remaining === -1 || --top.remaining > 0) break;
        }
        stack.pop();
        if (top.type === T.attribute) {
          this.#attach(toMap(top.items));
          break;
        }
        value = finish(top, this.#buffers);
      }
    }
  }

  /** Attributes apply to the next value at the level they were read. */
  #attach(attributes: Map<RespValue, RespValue>): void {
    const top = this.#stack.at(-1);
    if (top === undefined) (this.#topAttributes ??= []).push(attributes);
    else (top.attributes ??= []).push(attributes);
  }

  /** Parses one element at the read position: a value, an opened aggregate, or NEED_MORE. */
  #element(): RespValue | NeedMore | typeof CONTINUE | typeof END {
    const buf = this.#buf;
    const len = buf.length;
    const start = this.#pos;
    if (start >= len) return NEED_MORE;
    const type = buf[start] as number;
    let eol = start + 1;
    while (eol < len && buf[eol] !== CR) eol++;
    if (eol + 1 >= len) {
      if (eol - start > this.#maxLine)
        throw protocolFault(`a line longer than ${this.#maxLine} bytes`);
      return NEED_MORE;
    }
    if (buf[eol + 1] !== LF) throw protocolFault('"\\r" not followed by "\\n"');
    const next = eol + 2;
    const depth = this.#stack.length;
    if (type === T.chunk || (depth > 0 && (this.#stack[depth - 1] as Aggregate).type === T.bulk)) {
      if (type !== T.chunk) throw protocolFault('a streamed string part must start with ";"');
      if (depth === 0 || (this.#stack[depth - 1] as Aggregate).type !== T.bulk) {
        throw protocolFault('a ";" outside a streamed string');
      }
    }
    switch (type) {
      case T.simple:
        this.#pos = next;
        return buf.toString('utf8', start + 1, eol);
      case T.error:
        this.#pos = next;
        return new RedisReplyError(buf.toString('utf8', start + 1, eol));
      case T.integer:
        this.#pos = next;
        return parseInteger(buf, start + 1, eol);
      case T.bulk:
      case T.blobError:
      case T.verbatim:
      case T.chunk:
        return this.#blob(type, start, eol);
      case T.array:
      case T.map:
      case T.set:
      case T.push:
      case T.attribute:
        return this.#open(type, start, eol);
      case T.null:
        if (eol !== start + 1) throw protocolFault('"_" with data');
        this.#pos = next;
        return null;
      case T.boolean: {
        const b = buf[start + 1];
        if (eol !== start + 2 || (b !== 0x74 && b !== 0x66))
          throw protocolFault('a boolean not #t or #f');
        this.#pos = next;
        return b === 0x74;
      }
      case T.double:
        this.#pos = next;
        return parseDouble(buf.toString('latin1', start + 1, eol));
      case T.bigNumber: {
        const text = buf.toString('latin1', start + 1, eol);
        if (!/^-?\d+$/.test(text)) throw protocolFault(`a bad big number "${text}"`);
        this.#pos = next;
        return BigInt(text);
      }
      case T.end:
        if (eol !== start + 1) throw protocolFault('"." with data');
        this.#pos = next;
        return END;
      default:
        throw protocolFault(`unknown type byte 0x${type.toString(16).padStart(2, '0')}`);
    }
  }

  /** A length-prefixed element: bulk string, blob error, verbatim string, or a streamed-string part. */
  #blob(
    type: number,
    start: number,
    eol: number,
  ): RespValue | NeedMore | typeof CONTINUE | typeof END {
    const buf = this.#buf;
    const next = eol + 2;
    if (type === T.bulk && buf[start + 1] === QUESTION && eol === start + 2) {
      this.#stack.push({ type: T.bulk, remaining: -1, items: [], attributes: undefined });
      this.#pos = next;
      return CONTINUE;
    }
    const n = parseLength(buf, start + 1, eol);
    if (n === -1) {
      if (type !== T.bulk) throw protocolFault('a negative length');
      this.#pos = next;
      return null;
    }
    if (type === T.chunk && n === 0) {
      this.#pos = next;
      return END;
    }
    const end = next + n;
    if (end + 2 > buf.length) {
      this.#awaitBytes(start, end + 2 - start);
      return NEED_MORE;
    }
    if (buf[end] !== CR || buf[end + 1] !== LF)
      throw protocolFault('a bulk string longer than its length');
    this.#pos = end + 2;
    if (type === T.bulk)
      return this.#buffers ? Buffer.from(buf.subarray(next, end)) : buf.toString('utf8', next, end);
    if (type === T.chunk) return Buffer.from(buf.subarray(next, end));
    if (type === T.blobError) return new RedisReplyError(buf.toString('utf8', next, end));
    if (n < 4 || buf[next + 3] !== 0x3a)
      throw protocolFault('a verbatim string without its "xxx:" format');
    return new VerbatimString(
      buf.toString('latin1', next, next + 3),
      buf.toString('utf8', next + 4, end),
    );
  }

  /** An aggregate header: pushes the aggregate, or returns it at once when empty or null. */
  #open(type: number, start: number, eol: number): RespValue | typeof CONTINUE {
    const buf = this.#buf;
    this.#pos = eol + 2;
    if (buf[start + 1] === QUESTION && eol === start + 2) {
      this.#stack.push({ type, remaining: -1, items: [], attributes: undefined });
      return CONTINUE;
    }
    const n = parseLength(buf, start + 1, eol);
    if (n === -1) {
      if (type !== T.array) throw protocolFault('a negative length');
      return null; // RESP2 null array
    }
    const aggregate: Aggregate = {
      type,
      remaining: type === T.map || type === T.attribute ? n * 2 : n,
      items: [],
      attributes: undefined,
    };
    if (n > 0) {
      this.#stack.push(aggregate);
      return CONTINUE;
    }
    if (type !== T.attribute) return finish(aggregate, this.#buffers);
    this.#attach(new Map());
    return CONTINUE;
  }

  /** Waits for `total` bytes from `start`; a large bulk string is collected in parts and joined once. */
  #awaitBytes(start: number, total: number): void {
    this.#pos = start;
    if (total < COLLECT_FROM) return;
    if (this.#stack.length > 0) this.#partial += start - this.#entry;
    this.#entry = 0;
    const head = this.#buf.subarray(start);
    this.#parts = [head];
    this.#partsBytes = head.length;
    this.#need = total;
    this.#buf = EMPTY;
    this.#pos = 0;
  }
}
