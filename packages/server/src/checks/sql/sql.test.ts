import { describe, expect, it } from 'vitest';
import { NO_ROWS, judge, sameValue, type Expectation } from './expectation.js';
import { redact } from './messages.js';
import { sqlCheckSchema, sqlEndpoint } from './options.js';
import { identifyPeer, preview } from './wire-guard.js';

describe('judge', () => {
  it.each<[string, unknown, Expectation, boolean, string, number | undefined]>([
    ['a number', 1, {}, true, 'query returned 1', 1],
    ['numeric text as a number', '0042', { expect: 42 }, true, 'query returned 0042', 42],
    ['a float against text', 1.5, { expect: '1.50' }, true, 'query returned 1.5', 1.5],
    ['exponent text', '1e3', { min: 999 }, true, 'query returned 1e3', 1000],
    ['a bigint', 12n, { expect: 12 }, true, 'query returned 12', 12],
    [
      'big integers exactly',
      '9007199254740993',
      { expect: '9007199254740992' },
      false,
      'query returned 9007199254740993, expected 9007199254740992',
      9007199254740992,
    ],
    ['a boolean against 1', true, { expect: 1 }, true, 'query returned true', undefined],
    ['yes against true', 'YES', { expect: true }, true, 'query returned "YES"', undefined],
    [
      'a word that is not a boolean',
      'maybe',
      { expect: false },
      false,
      'query returned "maybe", expected false',
      undefined,
    ],
    ['2 is not true', 2, { expect: true }, false, 'query returned 2, expected true', 2],
    [
      'NULL against a value',
      null,
      { expect: 'x' },
      false,
      'query returned NULL, expected "x"',
      undefined,
    ],
    ['undefined as NULL', undefined, { expect: null }, true, 'query returned NULL', undefined],
    [
      'a date as ISO text',
      new Date('2026-01-31T02:00:00Z'),
      { expect: '2026-01-31T02:00:00.000Z' },
      true,
      'query returned "2026-01-31T02:00:00.000Z"',
      undefined,
    ],
    [
      'a buffer as text',
      Buffer.from('up'),
      { expect: 'up' },
      true,
      'query returned "up"',
      undefined,
    ],
    [
      'JSON as text',
      { ok: true },
      { expect: '{"ok":true}' },
      true,
      'query returned "{\\"ok\\":true}"',
      undefined,
    ],
    [
      'long text, shortened',
      'x'.repeat(100),
      { expect: 'y' },
      false,
      `query returned "${'x'.repeat(60)}…", expected "y"`,
      undefined,
    ],
    [
      'no rows',
      NO_ROWS,
      { min: 1, max: 2 },
      false,
      'query returned no rows, expected a number between 1 and 2',
      undefined,
    ],
  ])('%s', (_name, first, expectation, pass, message, value) => {
    const verdict = judge(first, expectation);
    expect(verdict).toEqual({ pass, message, ...(value === undefined ? {} : { value }) });
  });

  it('treats an invalid date as text', () => {
    expect(judge(new Date(Number.NaN), { expect: 'x' }).message).toBe(
      'query returned "Invalid Date", expected "x"',
    );
  });

  it('compares text exactly when it is not a number or boolean', () => {
    expect(sameValue('primary', 'primary')).toBe(true);
    expect(sameValue('Primary', 'primary')).toBe(false);
    expect(sameValue(1, 'one')).toBe(false);
  });
});

describe('sql config', () => {
  const schema = sqlCheckSchema({ schemes: ['postgres'], defaultPort: 5432 });

  it('resolves a url into an endpoint, decoding it, with the password field taking precedence', () => {
    const config = schema.parse({ url: 'postgres://a%40b:p%2Fw@[::1]/my%20db' });
    expect(sqlEndpoint(config, 5432)).toEqual({
      host: '::1',
      port: 5432,
      user: 'a@b',
      password: 'p/w',
      database: 'my db',
    });
    const withField = schema.parse({ url: 'postgres://u:old@db:6432', password: 'new' });
    expect(sqlEndpoint(withField, 5432)).toEqual({
      host: 'db',
      port: 6432,
      user: 'u',
      password: 'new',
    });
  });

  it('resolves host fields with defaults', () => {
    expect(sqlEndpoint(schema.parse({ host: 'db', user: 'u' }), 5432)).toEqual({
      host: 'db',
      port: 5432,
      user: 'u',
      password: '',
    });
  });
});

describe('messages', () => {
  it('masks a password and its URL-encoded form, but not very short ones', () => {
    expect(redact('a p@ss/1 b p%40ss%2F1 c', 'p@ss/1')).toBe('a *** b *** c');
    expect(redact('a b', 'a')).toBe('a b');
  });

  it('shows what a peer sent, printable', () => {
    expect(preview(Buffer.from('a"b\\c\t\0'))).toBe('"a\\"b\\\\c\\t\\x00"');
    expect(preview(Buffer.alloc(40, 'z'))).toBe(`"${'z'.repeat(32)}"…`);
    expect(identifyPeer(Buffer.from('HTTP/1.1 400 Bad Request'))).toBe(
      'it looks like an HTTP server',
    );
    expect(identifyPeer(Buffer.from([0x4a, 0, 0, 0, 0x0a, 0x35]))).toBe(
      'it looks like a MySQL or MariaDB server',
    );
  });
});
