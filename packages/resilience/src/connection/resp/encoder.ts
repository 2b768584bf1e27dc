import type { ByteWriter } from '../codec.js';
import type { RedisCommand } from './types.js';

/** Header strings for the common argument counts and lengths, built once. */
const ARRAY_HEADERS = Array.from({ length: 32 }, (_, n) => `*${n}\r\n`);
const BULK_HEADERS = Array.from({ length: 256 }, (_, n) => `$${n}\r\n`);

/**
 * UTF-8 byte length of `text`. Short ASCII strings (keys, command names, small values) are measured in
 * JS without a native call; anything else asks Buffer.
 */
function utf8Length(text: string): number {
  const n = text.length;
  if (n > 64) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, 'utf8');
  return n;
}

function bulkHeader(length: number): string {
  return length < 256 ? (BULK_HEADERS[length] as string) : `$${length}\r\n`;
}

/**
 * Commands whose replies do not come one per command (pub/sub confirmations arrive as pushes, one per
 * channel; MONITOR streams forever), so request/reply matching cannot serve them.
 */
const UNSUPPORTED = new Set([
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
]);

/** Throws for a command {@link UNSUPPORTED} lists; cheap for everything else (checks the length first). */
function checkSupported(first: unknown): void {
  if (typeof first !== 'string' || first.length < 7 || first.length > 12) return;
  const upper = first.toUpperCase();
  if (UNSUPPORTED.has(upper)) {
    throw new TypeError(
      `Redis command ${upper} is not supported: its replies do not come one per command (pub/sub needs a dedicated subscriber connection, which this client does not offer yet)`,
    );
  }
}

/**
 * Writes `command` as a RESP array of bulk strings, the form Redis reads commands in. Text is appended as
 * one string (Node encodes it straight into the socket); a Buffer argument is written as raw bytes.
 * Throws `TypeError` for an empty command or an argument of another type (the connection then drops
 * whatever of it was written, and rejects that request alone).
 */
export function encodeCommand(command: RedisCommand, out: ByteWriter): void {
  const raw: unknown = command;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new TypeError('Redis command must be a non-empty array such as ["GET", "key"]');
  }
  const count = command.length;
  checkSupported(command[0]);
  let text = count < 32 ? (ARRAY_HEADERS[count] as string) : `*${count}\r\n`;
  for (let i = 0; i < count; i++) {
    const arg: unknown = command[i];
    if (typeof arg === 'string') {
      text += bulkHeader(utf8Length(arg)) + arg + '\r\n';
    } else if (typeof arg === 'number' || typeof arg === 'bigint') {
      if (typeof arg === 'number' && !Number.isFinite(arg)) {
        throw new TypeError(
          `Redis command ${name(command)}: argument ${i} is ${arg}; pass a finite number`,
        );
      }
      const s = String(arg);
      text += bulkHeader(s.length) + s + '\r\n';
    } else if (arg instanceof Uint8Array) {
      out.writeString(text + bulkHeader(arg.length));
      out.writeBytes(arg);
      text = '\r\n';
    } else {
      throw new TypeError(
        `Redis command ${name(command)}: argument ${i} is ${arg === null ? 'null' : typeof arg}; pass a string, number, bigint or Buffer`,
      );
    }
  }
  out.writeString(text);
}

/** The command's name for messages (`GET`), never its arguments (they may be secrets). */
export function name(command: RedisCommand): string {
  const first = command[0];
  return typeof first === 'string' ? first.toUpperCase() : '<binary>';
}
