import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0 } from '../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../test/http-stub.js';
import { masker, retryableStatus, sendHttp } from './http.js';
import { parseRetryAfter, secondsToMs } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2026 07:00:00 GMT', 0],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
    ['999999999', undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([
    [2, 2000],
    [0.25, 250],
    [-1, undefined],
    ['3', undefined],
  ])('body seconds %j → %j ms', (seconds, ms) => {
    expect(secondsToMs(seconds)).toBe(ms);
  });
});

describe('retryableStatus', () => {
  it.each([
    [408, true],
    [425, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [301, false],
  ])('%i → %s', (status, retryable) => {
    expect(retryableStatus(status)).toBe(retryable);
  });
});

describe('masker', () => {
  it('hides every secret and its URL-encoded form, longest first', () => {
    const mask = masker(['abc:def/ghi', 'abc', undefined, 'long-token-1234']);
    expect(mask('x abc:def/ghi y abc%3Adef%2Fghi z long-token-1234')).toBe('x *** y *** z ***');
  });
});

describe('sendHttp', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const clock = new FakeClock({ startWall: T0 });
  const ctx = () => ({ signal: new AbortController().signal, clock });
  const req = (url: string) => ({ service: 'Test', url: `${url}/path`, body: '{}' });

  it('reads a Retry-After HTTP-date against the clock on a 503', async () => {
    const at = new Date(clock.now() + 45_000).toUTCString();
    stub = await httpStub((_req, res) => res.writeHead(503, { 'retry-after': at }).end());
    const result = await sendHttp(req(stub.origin), ctx());
    expect(result).toMatchObject({ ok: false, retryable: true, status: 503, retryAfterMs: 45_000 });
  });

  it('reads a delay from the body when the header has none', async () => {
    stub = await httpStub((_req, res) => res.writeHead(429).end('{"retry_after": 1.5}'));
    const result = await sendHttp(
      {
        ...req(stub.origin),
        retryAfterFromBody: (json) => secondsToMs((json as { retry_after?: unknown }).retry_after),
      },
      ctx(),
    );
    expect(result).toMatchObject({ ok: false, retryAfterMs: 1500 });
  });

  it('reads at most 64 KiB of a huge error body and quotes a short snippet', async () => {
    stub = await httpStub((_req, res) => {
      res.writeHead(500);
      res.end('x'.repeat(4_000_000));
    });
    const result = await sendHttp(req(stub.origin), ctx());
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.length).toBeLessThan(300);
    expect(result.error).toMatch(/^Test at 127\.0\.0\.1:\d+ answered HTTP 500: x+…$/);
  });

  it('a 2xx the channel refuses in its body is a failure that is not retried', async () => {
    stub = await httpStub((_req, res) => res.writeHead(200).end('{"ok":false}'));
    const result = await sendHttp(
      { ...req(stub.origin), rejectOk: (text) => (text.includes('"ok":true') ? undefined : text) },
      ctx(),
    );
    expect(result).toMatchObject({ ok: false, retryable: false, status: 200 });
  });

  it('sends user info of the URL as Basic authorization, and never shows it', async () => {
    stub = await httpStub((req, res) => res.writeHead(403).end(String(req.headers.authorization)));
    const url = stub.origin.replace('//', '//hook-user:p%40ss-w0rd@');
    const result = await sendHttp(req(url), ctx());
    if (result.ok) throw new Error('expected a failure');
    const basic = Buffer.from('hook-user:p@ss-w0rd').toString('base64');
    expect(stub.requests[0]?.headers.authorization).toBe(`Basic ${basic}`);
    expect(result.error).not.toMatch(/hook-user|p@ss-w0rd|p%40ss/);
    expect(result.error).not.toContain(basic);
    expect(result.error).toContain('(check the token or key in the config)');
  });

  it('a URL that does not parse is a failure, not a throw', async () => {
    const result = await sendHttp(req('not a url'), ctx());
    expect(result).toMatchObject({ ok: false });
  });

  it('an unresolvable host is retryable and says so', async () => {
    const result = await sendHttp(req('http://no-such-host.invalid'), ctx());
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toContain('no-such-host.invalid');
  });
});
