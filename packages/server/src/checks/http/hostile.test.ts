import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { httpTarget, type HttpTarget } from '../../../test/http-target.js';
import { allClosed, openSocketCount, socketsBackTo } from '../../../test/leaks.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { http } from './index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(...args: Parameters<typeof httpTarget>): Promise<HttpTarget> {
  const target = await httpTarget(...args);
  closers.push(() => target.close());
  return target;
}

async function peer(...args: Parameters<typeof tcpPeer>): Promise<Peer> {
  const p = await tcpPeer(...args);
  closers.push(() => p.close());
  return p;
}

/** Writes `total` bytes as fast as the client reads them, stopping when the client hangs up. */
function flood(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

describe('http check against hostile targets', () => {
  it('reports a refused connection', async () => {
    const port = await closedPort();
    const r = await runCheck(http, { url: `http://127.0.0.1:${port}/health` });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
    expect(r.phases?.total).toBe(r.latencyMs);
  });

  it('times out at the limit against a peer that accepts and never answers', async () => {
    const p = await peer((s) => s.resume());
    const r = await runCheck(http, { url: `http://127.0.0.1:${p.port}/` }, { timeoutMs: 300 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms waiting for the response from http://127.0.0.1:${p.port}/`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(r.phases?.connect).toBeGreaterThanOrEqual(0);
    expect(await allClosed(p.sockets)).toBe(true);
  });

  it('times out on a trickling body, saying how much it read', async () => {
    const t = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a');
      const timer = setInterval(() => res.write('b'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const r = await runCheck(http, { url: t.url('/slow') }, { timeoutMs: 450 });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(
        `^timed out after 450ms reading the body of ${t.url('/slow')} \\(read [2-5] B\\)$`,
      ),
    );
    expect(r.details).toMatchObject({ status: 200 });
    expect(r.phases?.ttfb).toBeGreaterThanOrEqual(0);
    expect(await allClosed(t.sockets)).toBe(true);
  });

  it('reads a 50 MB chunked body only up to the cap, and says so', async () => {
    const t = await serve((_req, res) => flood(res, 50 * 1024 * 1024));
    const r = await runCheck(http, { url: t.url() });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'response body is larger than 1 MiB (read 1 MiB)',
      details: { status: 200, bodyBytes: 1_048_576 },
    });
    expect(r.latencyMs).toBeLessThan(1500);
    expect(await allClosed(t.sockets)).toBe(true);
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const t = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      flood(res, 50 * 1024 * 1024);
    });
    const r = await runCheck(http, { url: t.url(), maxBodyBytes: 4096 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'response body is larger than 4 KiB (Content-Length 50 MiB)',
      details: { bodyBytes: 0 },
    });
    expect(await allClosed(t.sockets)).toBe(true);
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const t = await serve((_req, res) => res.end(Buffer.alloc(1000, 'x')));
    const r = await runCheck(http, { url: t.url(), maxBodyBytes: 1000 });
    expect(r).toMatchObject({ outcome: 'ok', details: { bodyBytes: 1000 } });
  });

  it('says a peer speaking another protocol does not answer with HTTP', async () => {
    const p = await peer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const r = await runCheck(http, { url: `http://127.0.0.1:${p.port}/` });
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      `127.0.0.1:${p.port} did not answer with HTTP (it sent "SSH-2.0-OpenSSH_9.2\\r\\n")`,
    );
  });

  it('fails against the Redis port, which hangs up on HTTP requests', async () => {
    const r = await runCheck(http, { url: 'http://127.0.0.1:6379/' }, { timeoutMs: 500 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: '127.0.0.1:6379 closed the connection without responding to http://127.0.0.1:6379/',
    });
  });

  it('reports a peer that closes the connection without responding', async () => {
    const p = await peer((s) => s.once('data', () => s.end()));
    const r = await runCheck(http, { url: `http://127.0.0.1:${p.port}/` });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} closed the connection without responding to http://127.0.0.1:${p.port}/`,
    });
  });

  it('reports a peer that hangs up in the middle of the body', async () => {
    const p = await peer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part');
        setTimeout(() => s.destroy(), 20);
      }),
    );
    const r = await runCheck(http, { url: `http://127.0.0.1:${p.port}/` });
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      `127.0.0.1:${p.port} closed the connection in the middle of the body of http://127.0.0.1:${p.port}/ (read 9 B)`,
    );
  });

  it('reports response headers over the limit', async () => {
    const p = await peer((s) =>
      s.once('data', () => s.write(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(70_000)}\r\n\r\n`)),
    );
    const r = await runCheck(http, { url: `http://127.0.0.1:${p.port}/` });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `response headers from http://127.0.0.1:${p.port}/ are too large`,
    });
  });

  it('stops a compressed body from expanding past the cap (a zip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const t = await serve((_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb),
    );
    const r = await runCheck(http, { url: t.url(), expect: { body: { contains: 'ok' } } });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'response body is larger than 1 MiB once decompressed (gzip)',
    });
  });

  it('reports a body that does not decompress, or an unknown encoding', async () => {
    const t = await serve((req, res) =>
      res
        .writeHead(200, { 'content-encoding': req.url === '/zstd' ? 'zstd' : 'gzip' })
        .end('not gzip'),
    );
    const corrupt = await runCheck(http, { url: t.url(), expect: { body: { contains: 'x' } } });
    expect(corrupt.message).toBe(
      'cannot decompress the gzip response body (incorrect header check)',
    );
    const zstd = await runCheck(http, { url: t.url('/zstd'), expect: { json: { '$.a': 1 } } });
    expect(zstd.message).toBe('response body has an unsupported Content-Encoding: zstd');
  });

  it('reports a name that does not resolve', async () => {
    const r = await runCheck(http, { url: 'http://nonexistent.invalid/health' });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^cannot resolve nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)/);
  });

  it('leaves no socket open after passing and failing runs', async () => {
    const baseline = openSocketCount();
    const t = await serve((req, res) =>
      req.url === '/big' ? flood(res, 8 * 1024 * 1024) : res.end('ok'),
    );
    const p = await peer((s) => s.resume());
    await runCheck(http, { url: t.url() });
    await runCheck(http, { url: t.url('/big') });
    await runCheck(http, { url: `http://127.0.0.1:${p.port}/` }, { timeoutMs: 100 });
    expect(await allClosed(t.sockets)).toBe(true);
    expect(await allClosed(p.sockets)).toBe(true);
    await Promise.all(closers.splice(0).map((close) => close()));
    expect(await socketsBackTo(baseline)).toBeLessThanOrEqual(baseline);
  });
});
