import { describe, expect, it } from 'vitest';
import { RedisReplyError, hasErrorCode } from '../../errors/index.js';
import { WriteBatch } from '../write-batch.js';
import { respCodec } from './codec.js';
import { encodeCommand } from './encoder.js';
import { encodeRespValue } from './encode-value.js';
import { parseInfo } from './info.js';
import { RespPush, VerbatimString, type RedisCommand } from './types.js';

/** Encodes through a real WriteBatch and returns the bytes as the socket would get them. */
function bytes(command: RedisCommand): Buffer {
  const batch = new WriteBatch();
  encodeCommand(command, batch);
  const written: Buffer[] = [];
  batch.writeTo({
    write: (chunk: string | Uint8Array) => written.push(Buffer.from(chunk)) > 0,
    cork: () => undefined,
    uncork: () => undefined,
  } as never);
  return Buffer.concat(written);
}

describe('encodeCommand', () => {
  it.each<[string, RedisCommand, string]>([
    ['strings', ['SET', 'k', 'v'], '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n'],
    [
      'UTF-8 by bytes, not characters',
      ['SET', 'k', 'héllo'],
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nhéllo\r\n',
    ],
    ['emoji', ['ECHO', '🙂'], '*2\r\n$4\r\nECHO\r\n$4\r\n🙂\r\n'],
    ['numbers in decimal', ['EXPIRE', 'k', 60], '*3\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$2\r\n60\r\n'],
    [
      'bigint',
      ['INCRBY', 'k', 12345678901234567890n],
      '*3\r\n$6\r\nINCRBY\r\n$1\r\nk\r\n$20\r\n12345678901234567890\r\n',
    ],
    ['empty string', ['SET', 'k', ''], '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n'],
  ])('%s', (_name, command, wire) => {
    expect(bytes(command).toString('utf8')).toBe(wire);
  });

  it('writes Buffers as raw bytes', () => {
    expect(bytes(['SET', Buffer.from([0xff, 0x00]), 'v'])).toEqual(
      Buffer.concat([
        Buffer.from('*3\r\n$3\r\nSET\r\n$2\r\n'),
        Buffer.from([0xff, 0]),
        Buffer.from('\r\n$1\r\nv\r\n'),
      ]),
    );
  });

  it('measures long and non-ASCII strings by their UTF-8 bytes', () => {
    const long = 'é'.repeat(100);
    expect(bytes(['SET', long]).toString()).toBe(`*2\r\n$3\r\nSET\r\n$200\r\n${long}\r\n`);
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    expect(bytes(many).toString().startsWith('*40\r\n')).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['an empty command', [], /non-empty array/],
    ['not an array', 'GET k', /non-empty array/],
    ['null argument', ['SET', 'k', null], /argument 2 is null/],
    ['object argument', ['SET', 'k', {}], /argument 2 is object/],
    ['NaN', ['EXPIRE', 'k', NaN], /argument 2 is NaN/],
    ['SUBSCRIBE', ['subscribe', 'chan'], /SUBSCRIBE is not supported/],
    ['MONITOR', ['MONITOR'], /MONITOR is not supported/],
  ])('rejects %s with a TypeError naming it', (_name, command, message) => {
    expect(() => bytes(command as RedisCommand)).toThrow(message);
  });

  it('a failed encoding can be rolled back from the batch, Buffers included', () => {
    const batch = new WriteBatch();
    encodeCommand(['PING'], batch);
    batch.setMark();
    expect(() => encodeCommand(['SET', Buffer.from('k'), null as never], batch)).toThrow(TypeError);
    batch.rollback();
    encodeCommand(['PING'], batch);
    const written: string[] = [];
    batch.writeTo({ write: (c: string) => written.push(c) > 0 } as never);
    expect(written.join('')).toBe('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n');
  });
});

describe('respCodec', () => {
  const codec = respCodec({ where: '127.0.0.1:6379' });

  it('turns error replies into RedisReplyError naming the command and server, keeping the prefix', () => {
    const error = codec.replyError?.(new RedisReplyError('WRONGTYPE Operation against a key'), [
      'LPUSH',
      'k',
      'v',
    ]);
    expect(hasErrorCode(error, 'REDIS_REPLY_ERROR')).toBe(true);
    expect(error).toMatchObject({
      prefix: 'WRONGTYPE',
      reply: 'WRONGTYPE Operation against a key',
      retryable: false,
    });
    expect(error?.message).toBe(
      'WRONGTYPE Operation against a key (reply to LPUSH at 127.0.0.1:6379)',
    );
    expect(codec.replyError?.('OK', ['SET'])).toBeUndefined();
    expect(codec.replyError?.([new RedisReplyError('ERR x')], ['EXEC'])).toBeUndefined();
  });

  it('marks transient Redis errors retryable', () => {
    expect(new RedisReplyError('LOADING Redis is loading the dataset').retryable).toBe(true);
    expect(new RedisReplyError('BUSY script').retryable).toBe(true);
    expect(new RedisReplyError('ERR unknown command').retryable).toBe(false);
    expect(new RedisReplyError('NOAUTH').prefix).toBe('NOAUTH');
  });

  it('recognises push frames', () => {
    expect(codec.isPush?.(new RespPush(['invalidate', ['k']]))).toBe(true);
    expect(codec.isPush?.(['message'])).toBe(false);
    expect(new RespPush(['invalidate']).kind).toBe('invalidate');
    expect(new RespPush([Buffer.from('message')]).kind).toBe('message');
    expect(new RespPush([1]).kind).toBe('');
  });

  it('decodes Buffers with returnBuffers', () => {
    const decoder = respCodec({ returnBuffers: true }).createDecoder();
    decoder.write(Buffer.from('$2\r\nab\r\n'));
    expect(decoder.read()).toEqual(Buffer.from('ab'));
  });
});

describe('encodeRespValue', () => {
  it('encodes -0 as a double and a verbatim string with its format', () => {
    expect(encodeRespValue(-0).toString()).toBe(',0\r\n');
    expect(encodeRespValue(new VerbatimString('mkd', '# hi')).toString()).toBe(
      '=8\r\nmkd:# hi\r\n',
    );
    expect(encodeRespValue(Number.NaN).toString()).toBe(',nan\r\n');
  });

  it('refuses what is not a RESP value', () => {
    expect(() => encodeRespValue(undefined as never)).toThrow(TypeError);
  });
});

describe('parseInfo', () => {
  it('parses sections and fields, keeping values as strings', () => {
    const text =
      '# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0\r\n';
    expect(parseInfo(text)).toEqual({
      server: { redis_version: '7.0.15', run_id: 'abc' },
      keyspace: { db0: 'keys=1,expires=0' },
    });
  });

  it('puts fields before any header under "" and skips junk lines', () => {
    expect(parseInfo('a:1\nnot a field\n# X\nb:2:3\n')).toEqual({
      '': { a: '1' },
      x: { b: '2:3' },
    });
  });
});
