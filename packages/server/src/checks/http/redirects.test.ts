import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { httpTarget, type HttpTarget } from '../../../test/http-target.js';
import { allClosed } from '../../../test/leaks.js';
import { http } from './index.js';

const targets: HttpTarget[] = [];
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

async function serve(handler: RequestListener): Promise<HttpTarget> {
  const target = await httpTarget(handler);
  targets.push(target);
  return target;
}

/** Runs a check; it must leave no connection open on `target`. */
async function check(target: HttpTarget, config: Record<string, unknown>) {
  const result = await runCheck(http, config);
  expect(await allClosed(target.sockets)).toBe(true);
  return result;
}

function readRequest(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

describe('http check redirects', () => {
  const redirecting =
    (routes: Record<string, [number, string]>): RequestListener =>
    (req: IncomingMessage, res: ServerResponse) => {
      const route = routes[req.url ?? ''];
      if (route === undefined) res.end(`${req.method ?? ''} ${req.url ?? ''}`);
      else res.writeHead(route[0], { location: route[1] }).end();
    };

  it('follows redirects and reports the final URL', async () => {
    const t = await serve(redirecting({ '/a': [301, '/b'], '/b': [302, '/c'] }));
    const r = await check(t, { url: t.url('/a') });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: `HTTP 200 from ${t.url('/c')} (after 2 redirects)`,
      details: { status: 200, url: t.url('/c'), redirects: 2 },
    });
  });

  it('judges the redirect itself when followRedirects is false (3xx passes by default)', async () => {
    const t = await serve(redirecting({ '/a': [301, '/b'] }));
    const r = await check(t, { url: t.url('/a'), followRedirects: false });
    expect(r).toMatchObject({ outcome: 'ok', message: `HTTP 301 from ${t.url('/a')}` });
    const strict = await check(t, {
      url: t.url('/a'),
      followRedirects: false,
      expect: { status: 200 },
    });
    expect(strict.message).toBe(`HTTP 301 from ${t.url('/a')}, expected 200`);
  });

  it('names a redirect loop with its cycle', async () => {
    const t = await serve(redirecting({ '/a': [302, '/b'], '/b': [302, '/a'] }));
    const r = await check(t, { url: t.url('/a') });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `redirect loop after 5 redirects (${t.url('/a')} → ${t.url('/b')} → ${t.url('/a')})`,
      details: { redirects: 5 },
    });
  });

  it('fails after maxRedirects redirects that do not loop', async () => {
    const t = await serve((req, res) => {
      const n = Number(req.url?.slice(1));
      res.writeHead(302, { location: `/${n + 1}` }).end();
    });
    const r = await check(t, { url: t.url('/0'), maxRedirects: 2 });
    expect(r.message).toBe(
      `more than 2 redirects (${t.url('/0')} → ${t.url('/1')} → ${t.url('/2')} → ${t.url('/3')})`,
    );
    const none = await check(t, { url: t.url('/0'), maxRedirects: 0 });
    expect(none.message).toBe(`${t.url('/0')} redirects to ${t.url('/1')} (maxRedirects is 0)`);
  });

  it('refuses a redirect to a non-HTTP URL', async () => {
    const t = await serve(redirecting({ '/a': [302, 'ftp://files.example/x'] }));
    const r = await check(t, { url: t.url('/a') });
    expect(r.message).toBe(
      `${t.url('/a')} redirects to "ftp://files.example/x", which is not an http(s) URL`,
    );
  });

  it('turns a POST into a GET on 303, and keeps the method and body on 307', async () => {
    const t = await serve((req, res) => {
      void readRequest(req).then((body) => {
        if (req.url === '/see-other') res.writeHead(303, { location: '/done' }).end();
        else if (req.url === '/temporary') res.writeHead(307, { location: '/done' }).end();
        else res.end(`${req.method ?? ''} ${body}`);
      });
    });
    const seeOther = await check(t, {
      url: t.url('/see-other'),
      method: 'POST',
      body: 'x=1',
      expect: { body: { matches: '^GET $' } },
    });
    expect(seeOther.outcome).toBe('ok');
    const temporary = await check(t, {
      url: t.url('/temporary'),
      method: 'POST',
      body: 'x=1',
      expect: { body: { matches: '^POST x=1$' } },
    });
    expect(temporary.outcome).toBe('ok');
  });

  it('does not send credentials on to another origin', async () => {
    let seen: IncomingMessage['headers'] = {};
    const other = await serve((req, res) => {
      seen = req.headers;
      res.end('ok');
    });
    const t = await serve(redirecting({ '/a': [302, other.url('/b', 'localhost')] }));
    const r = await check(t, {
      url: t.url('/a'),
      headers: { Authorization: 'Bearer secret', 'X-Trace': '1' },
    });
    expect(r.outcome).toBe('ok');
    expect(seen.authorization).toBeUndefined();
    expect(seen['x-trace']).toBe('1');
    expect(await allClosed(other.sockets)).toBe(true);
  });
});
