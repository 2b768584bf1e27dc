import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedisReplyError } from '../../errors/index.js';
import { NEED_MORE } from '../codec.js';
import { RespDecoder } from './decoder.js';
import { encodeRespValue } from './encode-value.js';
import { RespAttributed, RespPush, VerbatimString, type RespValue } from './types.js';

/** Feeds `chunks` one by one and collects every frame. */
function decodeAll(chunks: readonly (string | Buffer)[], decoder = new RespDecoder()): RespValue[] {
  const out: RespValue[] = [];
  for (const chunk of chunks) {
    decoder.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    for (let frame = decoder.read(); frame !== NEED_MORE; frame = decoder.read()) out.push(frame);
  }
  return out;
}

/** Splits `bytes` at the given offsets. */
function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

describe('RespDecoder: RESP2 and RESP3 values', () => {
  const cases: [string, string, RespValue][] = [
    ['simple string', '+OK\r\n', 'OK'],
    ['error', '-WRONGTYPE Operation\r\n', new RedisReplyError('WRONGTYPE Operation')],
    ['integer', ':1000\r\n', 1000],
    ['negative integer', ':-42\r\n', -42],
    ['zero', ':0\r\n', 0],
    ['64-bit integer past 2^53', ':9223372036854775807\r\n', 9223372036854775807n],
    ['bulk string', '$5\r\nhello\r\n', 'hello'],
    ['empty bulk string', '$0\r\n\r\n', ''],
    ['UTF-8 bulk string', '$6\r\nhéllo\r\n', 'héllo'],
    ['bulk with CRLF inside', '$4\r\na\r\nb\r\n', 'a\r\nb'],
    ['null bulk (RESP2)', '$-1\r\n', null],
    ['null array (RESP2)', '*-1\r\n', null],
    ['empty array', '*0\r\n', []],
    ['array', '*3\r\n:1\r\n$1\r\na\r\n*1\r\n+x\r\n', [1, 'a', ['x']]],
    ['null (RESP3)', '_\r\n', null],
    ['double', ',3.14\r\n', 3.14],
    ['double exponent', ',1.5e10\r\n', 1.5e10],
    ['double inf', ',inf\r\n', Infinity],
    ['double -inf', ',-inf\r\n', -Infinity],
    ['boolean true', '#t\r\n', true],
    ['boolean false', '#f\r\n', false],
    [
      'blob error',
      '!21\r\nSYNTAX invalid syntax\r\n',
      new RedisReplyError('SYNTAX invalid syntax'),
    ],
    ['verbatim string', '=15\r\ntxt:Some string\r\n', new VerbatimString('txt', 'Some string')],
    [
      'big number',
      '(3492890328409238509324850943850943825024385\r\n',
      3492890328409238509324850943850943825024385n,
    ],
    ['negative big number', '(-12\r\n', -12n],
    [
      'map',
      '%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n',
      new Map<RespValue, RespValue>([
        ['a', 1],
        ['b', 2],
      ]),
    ],
    ['empty map', '%0\r\n', new Map()],
    ['set', '~3\r\n+a\r\n+b\r\n+a\r\n', new Set(['a', 'b'])],
    ['push', '>3\r\n+message\r\n+chan\r\n$2\r\nhi\r\n', new RespPush(['message', 'chan', 'hi'])],
    [
      'attribute before a value',
      '|1\r\n+ttl\r\n:3600\r\n:42\r\n',
      new RespAttributed(new Map<RespValue, RespValue>([['ttl', 3600]]), 42),
    ],
    [
      'attribute inside an array',
      '*2\r\n|1\r\n+k\r\n+v\r\n:1\r\n:2\r\n',
      [new RespAttributed(new Map<RespValue, RespValue>([['k', 'v']]), 1), 2],
    ],
    ['empty attribute', '|0\r\n+x\r\n', new RespAttributed(new Map(), 'x')],
    ['streamed string', '$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n', 'Hello word'],
    ['streamed array', '*?\r\n:1\r\n:2\r\n.\r\n', [1, 2]],
    ['streamed map', '%?\r\n+a\r\n:1\r\n.\r\n', new Map<RespValue, RespValue>([['a', 1]])],
    ['nested streamed', '*?\r\n*?\r\n:1\r\n.\r\n.\r\n', [[1]]],
    ['error inside an array', '*2\r\n-ERR x\r\n:1\r\n', [new RedisReplyError('ERR x'), 1]],
  ];

  it.each(cases)('%s', (_name, wire, expected) => {
    expect(decodeAll([wire])).toEqual([expected]);
  });

  it.each(cases)('%s, fed one byte at a time', (_name, wire, expected) => {
    const bytes = Buffer.from(wire, 'utf8');
    const decoder = new RespDecoder();
    const out = decodeAll(
      [...bytes].map((b) => Buffer.from([b])),
      decoder,
    );
    expect(out).toEqual([expected]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('decodes many frames from one chunk, in order', () => {
    expect(decodeAll(['+OK\r\n:1\r\n$1\r\nx\r\n_\r\n'])).toEqual(['OK', 1, 'x', null]);
  });

  it('returns Buffers for bulk strings with returnBuffers', () => {
    const decoder = new RespDecoder({ returnBuffers: true });
    const [value] = decodeAll(['$3\r\n\x00\x01\x02\r\n'], decoder);
    expect(value).toEqual(Buffer.from([0, 1, 2]));
    expect(
      decodeAll(['$?\r\n;2\r\nab\r\n;0\r\n'], new RespDecoder({ returnBuffers: true })),
    ).toEqual([Buffer.from('ab')]);
  });

  it('collects a large bulk string in parts and joins it once', () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const wire = Buffer.concat([
      Buffer.from(`$${payload.length}\r\n`),
      payload,
      Buffer.from('\r\n+OK\r\n'),
    ]);
    const decoder = new RespDecoder();
    const chunks = splitAt(
      wire,
      Array.from({ length: 60 }, (_, i) => (i + 1) * 65_536),
    );
    const out = decodeAll(chunks, decoder);
    expect(out).toHaveLength(2);
    expect((out[0] as string).length).toBe(payload.length);
    expect(out[1]).toBe('OK');
  });

  it('counts a partial aggregate in bufferedBytes, so maxFrameBytes bounds it', () => {
    const decoder = new RespDecoder();
    decoder.write(Buffer.from('*1000000\r\n'));
    for (let i = 0; i < 1000; i++) {
      decoder.write(Buffer.from(':1\r\n'));
      expect(decoder.read()).toBe(NEED_MORE);
    }
    expect(decoder.bufferedBytes).toBeGreaterThanOrEqual(4000);
  });

  it('counts a partial large bulk string in bufferedBytes', () => {
    const decoder = new RespDecoder();
    decoder.write(Buffer.from(`*2\r\n:1\r\n$${1 << 20}\r\n`));
    expect(decoder.read()).toBe(NEED_MORE);
    decoder.write(Buffer.alloc(100_000));
    expect(decoder.read()).toBe(NEED_MORE);
    expect(decoder.bufferedBytes).toBeGreaterThan(100_000);
  });
});

describe('RespDecoder rejects bytes that are not RESP', () => {
  const bad: [string, string][] = [
    ['an unknown type byte', 'A\r\n'],
    ['CR without LF', '+OK\rX\n'],
    ['a non-numeric length', '$x\r\n'],
    ['a negative length other than -1', '$-2\r\n'],
    ['a bulk longer than its length', '$1\r\nab\r\n'],
    ['a negative count for a map', '%-1\r\n'],
    ['a bad integer', ':12a\r\n'],
    ['a bad double', ',abc\r\n'],
    ['a bad boolean', '#x\r\n'],
    ['null with data', '_x\r\n'],
    ['a bad big number', '(12x\r\n'],
    ['a verbatim string without format', '=2\r\nab\r\n'],
    ['"." outside a streamed aggregate', '.\r\n'],
    ['"." in a sized aggregate', '*2\r\n:1\r\n.\r\n'],
    ['a stray ";"', ';1\r\na\r\n'],
    ['a non-";" inside a streamed string', '$?\r\n+x\r\n'],
    ['a negative blob error length', '!-1\r\n'],
    ['an integer without digits', ':\r\n'],
  ];

  it.each(bad)('%s', (_name, wire) => {
    expect(() => decodeAll([wire])).toThrow(/invalid RESP/);
  });

  it('a line longer than maxLineBytes', () => {
    const decoder = new RespDecoder({ maxLineBytes: 16 });
    decoder.write(Buffer.from(`+${'x'.repeat(32)}`));
    expect(() => decoder.read()).toThrow(/longer than 16 bytes/);
  });
});

/** Any RESP value the encoder can produce (the decoder's image of the protocol). */
const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc
      .string({ maxLength: 20 })
      .map((s) => s.replace(/[\r\n]/g, ''))
      .map((s) => new RedisReplyError(`ERR ${s}`)),
    fc.string().map((s) => new RedisReplyError(`ERR multi\r\nline ${s}`)),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d) || !Number.isSafeInteger(d)),
    fc.constantFrom(Infinity, -Infinity),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 10 }).map((s) => new VerbatimString('txt', s)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.string({ maxLength: 6 }), tie('value')), { maxLength: 3 })
      .map((pairs) => new Map<RespValue, RespValue>(pairs)),
    fc
      .uniqueArray(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 4 })
      .map((items) => new Set<RespValue>(items)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new RespPush(['message', ...items])),
    fc
      .tuple(fc.string({ maxLength: 5 }), fc.integer(), tie('value'))
      .map(([k, v, value]) => new RespAttributed(new Map<RespValue, RespValue>([[k, v]]), value)),
  ),
})).value;

describe('RespDecoder properties', () => {
  it('any value, encoded and split at random points, decodes to itself', () => {
    fc.assert(
      fc.property(
        fc.array(respValue, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (values, cuts) => {
          const wire = Buffer.concat(values.map(encodeRespValue));
          const decoder = new RespDecoder();
          expect(decodeAll(splitAt(wire, cuts), decoder)).toEqual(values);
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('any prefix of a frame is NEED_MORE, never a wrong frame', () => {
    fc.assert(
      fc.property(respValue, fc.nat(), (value, cut) => {
        const wire = encodeRespValue(value);
        const at = cut % wire.length;
        const decoder = new RespDecoder();
        decoder.write(wire.subarray(0, at));
        expect(decoder.read()).toBe(NEED_MORE);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes either decode or throw a RESP error, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoder = new RespDecoder();
        decoder.write(Buffer.from(bytes));
        try {
          for (let i = 0; i < 100 && decoder.read() !== NEED_MORE; i++);
        } catch (error) {
          expect((error as Error).message).toMatch(/^invalid RESP/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
