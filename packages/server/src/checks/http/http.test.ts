import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { httpTarget, type HttpTarget } from '../../../test/http-target.js';
import { allClosed } from '../../../test/leaks.js';
import { systemClock } from '@vigil/resilience';
import type { CheckContext, CheckDeps } from '../check-kind.js';
import { http } from './index.js';

const targets: HttpTarget[] = [];
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

/** A server the test closes; every check run against it must leave no connection open. */
async function serve(handler: RequestListener): Promise<HttpTarget> {
  const target = await httpTarget(handler);
  targets.push(target);
  return target;
}

async function check(target: HttpTarget, config: Record<string, unknown>, timeoutMs?: number) {
  const result = await runCheck(http, config, timeoutMs === undefined ? {} : { timeoutMs });
  expect(await allClosed(target.sockets)).toBe(true);
  return result;
}

const deps: CheckDeps = {
  clock: systemClock,
  configDir: process.cwd(),
  heartbeats: { last: () => undefined },
};
const runContext = (): CheckContext => ({
  signal: AbortSignal.timeout(2000),
  clock: systemClock,
  timeoutMs: 2000,
  monitorId: 'fresh',
});

const json =
  (status: number, value: unknown): RequestListener =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };

function readRequest(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

describe('http check', () => {
  it('passes on 200 with the status, final URL and measured phases', async () => {
    const t = await serve((_req, res) => res.end('ok'));
    const r = await check(t, { url: t.url('/health') });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: `HTTP 200 from ${t.url('/health')}`,
      details: { status: 200, url: t.url('/health'), bodyBytes: 2 },
    });
    for (const phase of ['connect', 'ttfb', 'transfer', 'total'] as const)
      expect(r.phases?.[phase]).toBeGreaterThanOrEqual(0);
    expect(r.phases?.dns).toBeUndefined(); // an IP address is not resolved
    expect(r.phases?.tls).toBeUndefined();
    const parts = (r.phases?.connect ?? 0) + (r.phases?.ttfb ?? 0) + (r.phases?.transfer ?? 0);
    expect(parts).toBeLessThanOrEqual(r.latencyMs + 0.05);
    expect(r.phases?.total).toBe(r.latencyMs);
  });

  it('measures name resolution for a host name', async () => {
    const t = await serve((_req, res) => res.end('ok'));
    const r = await check(t, { url: t.url('/', 'localhost') });
    expect(r.outcome).toBe('ok');
    expect(r.phases?.dns).toBeGreaterThanOrEqual(0);
  });

  it('connects to an IPv6 literal host', async (ctx) => {
    const server = createServer((_req, res) => res.end('ok'));
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return ctx.skip(); // no IPv6 loopback on this machine
    try {
      const { port } = server.address() as AddressInfo;
      const r = await runCheck(http, { url: `http://[::1]:${port}/v6` });
      expect(r).toMatchObject({ outcome: 'ok', message: `HTTP 200 from http://[::1]:${port}/v6` });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('opens a fresh connection on every run of one check and closes it when the run ends', async () => {
    const t = await serve((_req, res) => res.end('ok'));
    const check = await http.create(http.schema.parse({ url: t.url() }), deps, 'fresh');
    try {
      for (const run of [1, 2, 3]) {
        const r = await check.run(runContext());
        expect(r.outcome).toBe('ok');
        expect(r.phases?.connect).toBeGreaterThanOrEqual(0);
        expect(t.connections()).toBe(run);
        // Closed by Vigil at the end of the run, not left for the server's keep-alive timeout.
        expect(await allClosed(t.sockets)).toBe(true);
      }
    } finally {
      await check.close?.();
    }
  });

  it('fails on a 5xx, naming the status and URL', async () => {
    const t = await serve((_req, res) => res.writeHead(503).end('down'));
    const r = await check(t, { url: t.url('/health') });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `HTTP 503 from ${t.url('/health')}`,
      details: { status: 503 },
    });
  });

  it.each([
    [200, { status: 200 }, 'ok', ''],
    [204, { status: [200, 204] }, 'ok', ''],
    [404, { status: '4xx' }, 'ok', ''],
    [201, { status: '200-204' }, 'ok', ''],
    [200, { status: 201 }, 'fail', ', expected 201'],
    [500, { status: ['2xx', 301] }, 'fail', ', expected 2xx or 301'],
  ] as const)('status %i with expect %j → %s', async (status, expect_, outcome, suffix) => {
    const t = await serve((_req, res) => res.writeHead(status).end());
    const r = await check(t, { url: t.url(), expect: expect_ });
    expect(r.outcome).toBe(outcome);
    if (outcome === 'fail') expect(r.message).toBe(`HTTP ${status} from ${t.url()}${suffix}`);
  });

  it('asserts JSONPath values, naming what was found', async () => {
    const t = await serve(
      json(200, { status: 'degraded', checks: { db: { latencyMs: 350 } }, items: [{ id: 7 }] }),
    );
    const pass = await check(t, {
      url: t.url(),
      expect: {
        json: {
          '$.status': { ne: 'ok' },
          '$.checks.db.latencyMs': { gt: 100, lt: 1000 },
          '$.items[0].id': 7,
          '$.items': { length: 1 },
          '$.error': { exists: false },
        },
      },
    });
    expect(pass.outcome).toBe('ok');
    const fail = await check(t, {
      url: t.url(),
      expect: {
        json: {
          '$.status': 'ok',
          '$.checks.db.latencyMs': { lt: 200 },
          '$.checks.cache.up': true,
        },
      },
    });
    expect(fail).toMatchObject({
      outcome: 'fail',
      message:
        '$.status is "degraded", expected "ok"; $.checks.db.latencyMs is 350, expected < 200; $.checks.cache.up does not exist ($.checks.cache is missing), expected true',
    });
  });

  it('fails on invalid JSON with the parser reason, and on an empty body', async () => {
    const t = await serve((req, res) => res.end(req.url === '/empty' ? '' : '<html>oops</html>'));
    const r = await check(t, { url: t.url(), expect: { json: { '$.status': 'ok' } } });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^invalid JSON in response body: Unexpected token '?<'?/);
    const empty = await check(t, { url: t.url('/empty'), expect: { json: { '$.a': 1 } } });
    expect(empty.message).toBe('response body is empty, expected JSON');
  });

  it('asserts on the body text', async () => {
    const t = await serve((_req, res) => res.end('status: ok, version 2.4.1'));
    const pass = await check(t, {
      url: t.url(),
      expect: { body: { contains: 'ok', matches: 'version 2\\.\\d+', notContains: 'Exception' } },
    });
    expect(pass.outcome).toBe('ok');
    const fail = await check(t, {
      url: t.url(),
      expect: { body: { contains: 'healthy', matches: '^OK$', notContains: 'ok' } },
    });
    expect(fail.message).toBe(
      'body does not contain "healthy"; body contains "ok"; body does not match /^OK$/',
    );
  });

  it('decodes the body with the charset of its content type', async () => {
    const t = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
        .end(Buffer.from('café', 'latin1')),
    );
    const r = await check(t, { url: t.url(), expect: { body: { contains: 'café' } } });
    expect(r.outcome).toBe('ok');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ] as const)('decompresses a %s body for assertions', async (encoding, compress) => {
    const t = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-encoding': encoding, 'content-type': 'application/json' })
        .end(compress(Buffer.from('{"status":"ok"}'))),
    );
    const r = await check(t, {
      url: t.url(),
      headers: { 'Accept-Encoding': 'gzip, deflate, br' },
      expect: { json: { '$.status': 'ok' } },
    });
    expect(r.outcome).toBe('ok');
  });

  it('asserts on response headers, by name in any case', async () => {
    const t = await serve((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html', 'X-Version': '2.1' }).end(),
    );
    const pass = await check(t, {
      url: t.url(),
      expect: {
        headers: {
          'x-version': '2.1',
          'Content-Type': { contains: 'html' },
          'X-Powered-By': { exists: false },
        },
      },
    });
    expect(pass.outcome).toBe('ok');
    const fail = await check(t, {
      url: t.url(),
      expect: {
        headers: {
          'content-type': { matches: '^application/json' },
          'x-version': '3',
          'x-request-id': { exists: true },
        },
      },
    });
    expect(fail.message).toBe(
      'header content-type is "text/html", expected it to match /^application\\/json/; header x-version is "2.1", expected "3"; header x-request-id is missing',
    );
  });

  it('is degraded, not failed, when slower than responseTimeMs', async () => {
    const t = await serve((_req, res) => void globalThis.setTimeout(() => res.end('ok'), 120));
    const slow = await check(t, { url: t.url(), expect: { responseTimeMs: 50 } });
    expect(slow.outcome).toBe('degraded');
    expect(slow.message).toMatch(
      new RegExp(
        `^HTTP 200 from ${t.url()}, but it took 1\\d\\dms, over the 50ms response time limit$`,
      ),
    );
    const fast = await check(t, { url: t.url(), expect: { responseTimeMs: '2s' } });
    expect(fast.outcome).toBe('ok');
  });

  it('sends the method, headers and a JSON body; user info becomes Basic auth, never shown', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const t = await serve((req, res) => {
      void readRequest(req).then((body) => {
        seen = { method: req.method ?? '', headers: req.headers, body };
        res.end('ok');
      });
    });
    const url = t.url('/hook').replace('://', '://alice:s3cret@');
    const r = await check(t, {
      url,
      method: 'post',
      headers: { 'X-Api-Key': 'k' },
      body: { ping: true },
    });
    expect(r.outcome).toBe('ok');
    expect(seen).toMatchObject({
      method: 'POST',
      body: '{"ping":true}',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'k',
        authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
        'user-agent': 'Vigil/0.1 (health check)',
      },
    });
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect(r.message).toBe(`HTTP 200 from ${t.url('/hook')}`);
  });

  it('hides credential-like query values in messages', async () => {
    const t = await serve((_req, res) => res.writeHead(500).end());
    const r = await check(t, { url: t.url('/h?token=abc123&region=eu') });
    expect(r.message).toBe(`HTTP 500 from ${t.url('/h?token=***&region=eu')}`);
    expect(JSON.stringify(r)).not.toContain('abc123');
  });

  it('sends HEAD without reading a body', async () => {
    const t = await serve((req, res) => res.end(req.method === 'HEAD' ? undefined : 'body'));
    const r = await check(t, { url: t.url(), method: 'HEAD' });
    expect(r).toMatchObject({ outcome: 'ok', details: { bodyBytes: 0 } });
  });
});
