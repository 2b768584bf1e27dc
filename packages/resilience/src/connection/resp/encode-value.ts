import { hasErrorCode } from '../../errors/index.js';
import { RespAttributed, RespPush, VerbatimString, type RespValue } from './types.js';

/**
 * Encodes any {@link RespValue} as RESP3, the inverse of the decoder: strings as bulk strings, integers
 * as `:` (bigint as a big number), other numbers as doubles, `null` as `_`, errors as `-` (or `!` when they
 * span lines). For writing test doubles of a RESP server; clients send commands with `encodeCommand`.
 */
export function encodeRespValue(value: RespValue): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function line(parts: Buffer[], text: string): void {
  parts.push(Buffer.from(`${text}\r\n`, 'utf8'));
}

function blob(parts: Buffer[], type: string, bytes: Buffer): void {
  line(parts, `${type}${bytes.length}`);
  parts.push(bytes, Buffer.from('\r\n'));
}

function write(value: RespValue, parts: Buffer[]): void {
  if (value === null) line(parts, '_');
  else if (typeof value === 'string') blob(parts, '$', Buffer.from(value, 'utf8'));
  else if (typeof value === 'boolean') line(parts, value ? '#t' : '#f');
  else if (typeof value === 'bigint') line(parts, `(${value}`);
  else if (typeof value === 'number') line(parts, number(value));
  else if (Buffer.isBuffer(value)) blob(parts, '$', value);
  else if (Array.isArray(value)) aggregate(parts, '*', value);
  else if (value instanceof Map) pairs(parts, '%', value);
  else if (value instanceof Set) aggregate(parts, '~', [...value]);
  else if (value instanceof RespPush) aggregate(parts, '>', value.items);
  else if (value instanceof VerbatimString) {
    blob(parts, '=', Buffer.from(`${value.format}:${value.text}`, 'utf8'));
  } else if (value instanceof RespAttributed) {
    pairs(parts, '|', value.attributes);
    write(value.value, parts);
  } else if (hasErrorCode(value, 'REDIS_REPLY_ERROR')) {
    const text = value.reply;
    if (/[\r\n]/.test(text)) blob(parts, '!', Buffer.from(text, 'utf8'));
    else line(parts, `-${text}`);
  } else {
    throw new TypeError(`encodeRespValue: cannot encode ${typeof value}`);
  }
}

function number(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return `:${value}`;
  if (Number.isNaN(value)) return ',nan';
  if (!Number.isFinite(value)) return value > 0 ? ',inf' : ',-inf';
  return `,${value}`;
}

function aggregate(parts: Buffer[], type: string, items: readonly RespValue[]): void {
  line(parts, `${type}${items.length}`);
  for (const item of items) write(item, parts);
}

function pairs(parts: Buffer[], type: string, map: ReadonlyMap<RespValue, RespValue>): void {
  line(parts, `${type}${map.size}`);
  for (const [k, v] of map) {
    write(k, parts);
    write(v, parts);
  }
}
