import { describe, expect, it } from 'vitest';
import { schemaIssues } from '../../../test/check-harness.js';
import { http } from './index.js';
import { describeStatuses } from './status.js';
import { basicAuthorization, displayUrl } from './url.js';

describe('http config', () => {
  it('applies defaults', () => {
    expect(http.schema.parse({ url: 'https://example.com/health' })).toEqual({
      url: 'https://example.com/health',
      method: 'GET',
      headers: {},
      followRedirects: true,
      maxRedirects: 5,
      keepAlive: false,
      tls: { rejectUnauthorized: true },
      maxBodyBytes: 1_048_576,
      expect: { certificate: { minDaysValid: 14 } },
    });
  });

  it.each([
    'htp:/x',
    'http:/x',
    'ftp://example.com',
    'example.com',
    'http://',
    'https://exa mple.com',
    '',
  ])('refuses %j as a URL', (url) => {
    expect(schemaIssues(http, { url })).toEqual([
      `url: ${JSON.stringify(url)} is not an http:// or https:// URL`,
    ]);
  });

  it('accepts http and https URLs with ports, paths, user info and IPv6 hosts', () => {
    for (const url of [
      'http://127.0.0.1:8080/health?x=1',
      'HTTPS://Example.com',
      'https://user:pa%40ss@example.com/',
      'http://[::1]:3000/',
    ])
      expect(schemaIssues(http, { url })).toEqual([]);
  });

  it('parses statuses: codes, classes, ranges and lists', () => {
    const parsed = http.schema.parse({
      url: 'http://x',
      expect: { status: [200, '3XX', '400-404', '418'] },
    });
    expect(parsed.expect.status).toEqual([
      { from: 200, to: 200, text: '200' },
      { from: 300, to: 399, text: '3xx' },
      { from: 400, to: 404, text: '400-404' },
      { from: 418, to: 418, text: '418' },
    ]);
    expect(describeStatuses(parsed.expect.status ?? [])).toBe('200, 3xx, 400-404 or 418');
  });

  it('reports every mistake, naming the field', () => {
    expect(
      schemaIssues(http, {
        url: 'http://x',
        method: 'FETCH',
        headers: { 'Bad Name': 'x', Good: 'a\r\nInjected: 1' },
        maxRedirects: 50,
        maxBodyBytes: 0,
        tls: { ca: '', verify: false },
        bogus: 1,
        expect: {
          status: [200, 'abc', 99],
          json: { status: 'ok', '$.a[*]': 1, '$.b': { lessThan: 1 } },
          body: { contains: '' },
          headers: { 'x y': '1', ok: { matches: '(' } },
          responseTimeMs: 'fast',
          certificate: { minDaysValid: -1 },
          extra: true,
        },
      }),
    ).toEqual([
      'method: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS"',
      'headers.Bad Name: is not a valid header name',
      'headers.Good: must not contain CR, LF or NUL',
      'maxRedirects: Too big: expected number to be <=20',
      'tls.ca: Too small: expected string to have >=1 characters',
      'tls: Unrecognized key: "verify"',
      'maxBodyBytes: Too small: expected number to be >=1',
      'expect.status.1: "abc" is not a status; write a status code (200), a class ("2xx") or a range ("200-299")',
      'expect.status.2: 99 is not a status; write a status code (200), a class ("2xx") or a range ("200-299")',
      "expect.json.status: is not a JSONPath: expected '$' at position 0",
      'expect.json.$.a[*]: is not a JSONPath: wildcards, slices, filters and recursive descent are not supported at position 4; write a path to one value, like $.items[0].status',
      'expect.json.$.b: Unrecognized key: "lessThan"',
      'expect.json.$.b: expected at least one of eq, ne, lt, lte, gt, gte, matches, contains, exists, length, type',
      'expect.body.contains: Too small: expected string to have >=1 characters',
      'expect.headers.x y: is not a valid header name',
      'expect.headers.ok.matches: is not a valid regular expression',
      'expect.responseTimeMs: "fast" is not a duration; write e.g. 30s, 5m, 1h30m, 250ms or a number of ms',
      'expect.certificate.minDaysValid: Too small: expected number to be >=0',
      'expect: Unrecognized key: "extra"',
      ': Unrecognized key: "bogus"',
    ]);
  });

  it('refuses a body on GET or HEAD, and the url when missing', () => {
    expect(schemaIssues(http, { url: 'http://x', body: 'x' })).toEqual([
      'body: a GET or HEAD request cannot have a body; set method (e.g. POST)',
    ]);
    expect(schemaIssues(http, { method: 'POST' })).toEqual([
      'url: Invalid input: expected string, received undefined',
    ]);
  });

  it('takes a lower-case method and a JSON body', () => {
    const parsed = http.schema.parse({ url: 'http://x', method: 'post', body: { a: [1] } });
    expect(parsed).toMatchObject({ method: 'POST', body: { a: [1] } });
  });
});

describe('URLs in messages', () => {
  it.each([
    ['https://alice:s3cret@example.com/x', 'https://example.com/x'],
    ['https://example.com/x?token=abc&region=eu', 'https://example.com/x?token=***&region=eu'],
    [
      'https://example.com/?api_key=1&apiKey=2&sig=3',
      'https://example.com/?api_key=***&apiKey=***&sig=***',
    ],
    ['https://example.com/?page=2', 'https://example.com/?page=2'],
    ['http://example.com', 'http://example.com/'],
  ])('%s is shown as %s', (url, shown) => {
    expect(displayUrl(new URL(url))).toBe(shown);
  });

  it('turns user info into Basic credentials', () => {
    expect(basicAuthorization(new URL('https://a%40b:p%3Ass@x/'))).toBe(
      `Basic ${Buffer.from('a@b:p:ss').toString('base64')}`,
    );
    expect(basicAuthorization(new URL('https://x/'))).toBeUndefined();
  });
});
