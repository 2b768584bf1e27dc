import { join } from 'node:path';
import { hasErrorCode } from '@vigil/resilience';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDocExamples } from '../../../test/doc-yaml.js';
import { schemaIssues } from '../../../test/check-harness.js';
import { httpStub, reply, type HttpStub, type StubHandler } from '../../../test/http-stub.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { recipeDir, type RecipeDir } from '../../../test/recipe-files.js';
import { recipe, RecipeError } from './index.js';

let recipes: RecipeDir;
beforeAll(async () => {
  recipes = await recipeDir();
});
afterAll(() => recipes.remove());
const recipeFile: RecipeDir['recipeFile'] = (...args) => recipes.recipeFile(...args);
const rawFile: RecipeDir['rawFile'] = (...args) => recipes.rawFile(...args);
const run: RecipeDir['run'] = (...args) => recipes.run(...args);

const closers: (HttpStub | Peer)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
});
async function stub(handler: StubHandler): Promise<HttpStub> {
  const s = await httpStub(handler);
  closers.push(s);
  return s;
}

const THROWS_IF_CALLED = `handleResponse() { throw new Error('handleResponse must not be called'); }`;

describe('recipe check', () => {
  it('requests, hands the response to the recipe and reports its outcome', async () => {
    const s = await stub(reply(200, { healthy: true }));
    const m = await recipeFile(
      'simple',
      `{ request: { url: '${s.origin}/health' }, handleResponse: (r) => (r.json() as { healthy: boolean }).healthy ? 'ok' : 'fail' }`,
    );
    const r = await run(m);
    expect(r).toMatchObject({
      outcome: 'ok',
      message: 'simple reported ok',
      details: { recipe: 'simple', status: 200 },
    });
    expect(r.phases?.ttfb).toBeGreaterThan(0);
    expect(r.phases?.total).toBe(r.latencyMs);
    expect(s.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['GET /health']);
  });

  it.each(['ok', 'fail', 'pending', 'degraded'] as const)(
    'passes on a %s verdict with its message and value',
    async (outcome) => {
      const s = await stub(reply(200, 'fine'));
      const m = await recipeFile(
        `verdict-${outcome}`,
        `{ request: { url: '${s.origin}/' }, handleResponse: (r) => ({ outcome: '${outcome}', message: 'body: ' + r.body, value: 7.5 }) }`,
      );
      expect(await run(m)).toMatchObject({ outcome, message: 'body: fine', value: 7.5 });
    },
  );

  it('builds the request from the options shaped by parseOptions, and sends method, headers and body', async () => {
    const s = await stub((req, res) =>
      res.writeHead(201, { 'X-Echo': 'yes' }).end(req.headers['x-team'] ?? ''),
    );
    const m = await recipeFile(
      'options',
      `{
        parseOptions: (o) => ({ team: String(o.team).toUpperCase(), url: String(o.url) }),
        request: async (o) => ({ url: o.url + '/builds', method: 'POST', headers: { 'x-team': o.team }, body: { team: o.team } }),
        handleResponse: (r, o) => ({ outcome: r.body === o.team ? 'ok' : 'fail', message: r.status + ' ' + r.headers['x-echo'] }),
      }`,
    );
    const r = await run(m, { team: 'infra', url: s.origin });
    expect(r).toMatchObject({ outcome: 'ok', message: '201 yes' });
    expect(s.requests[0]).toMatchObject({
      method: 'POST',
      url: '/builds',
      body: '{"team":"INFRA"}',
      headers: { 'content-type': 'application/json', 'x-team': 'INFRA' },
    });
  });

  it('follows redirects', async () => {
    const s = await stub((req, res) =>
      req.url === '/old' ? res.writeHead(302, { location: '/new' }).end() : res.end('here'),
    );
    const m = await recipeFile(
      'redirects',
      `{ request: { url: '${s.origin}/old' }, handleResponse: (r) => ({ outcome: 'ok', message: r.body }) }`,
    );
    expect(await run(m)).toMatchObject({ outcome: 'ok', message: 'here' });
  });

  describe('fails without calling handleResponse when the request fails', () => {
    it('on a refused connection', async () => {
      const port = await closedPort();
      const m = await recipeFile(
        'refused',
        `{ request: { url: 'http://127.0.0.1:${port}/' }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m)).toMatchObject({
        outcome: 'fail',
        message: `connection refused by GET http://127.0.0.1:${port}/`,
      });
    });

    it('on a status other than 2xx, naming it without the query string (which may hold a token)', async () => {
      const s = await stub(reply(503, 'down'));
      const m = await recipeFile(
        'status',
        `{ request: { url: '${s.origin}/status?token=s3cret' }, ${THROWS_IF_CALLED} }`,
      );
      const r = await run(m);
      expect(r).toMatchObject({
        outcome: 'fail',
        message: `HTTP 503 from GET ${s.origin}/status?…`,
        details: { recipe: 'status', status: 503 },
      });
      expect(JSON.stringify(r)).not.toContain('s3cret');
    });

    it('at the timeout against a server that never answers', async () => {
      const p = await tcpPeer();
      closers.push(p);
      const m = await recipeFile(
        'blackhole',
        `{ request: { url: 'http://127.0.0.1:${p.port}/' }, ${THROWS_IF_CALLED} }`,
      );
      const r = await run(m, {}, { timeoutMs: 300 });
      expect(r).toMatchObject({
        outcome: 'fail',
        message: `timed out after 300ms (GET http://127.0.0.1:${p.port}/)`,
      });
      expect(r.latencyMs).toBeLessThan(1500);
    });

    it('against a server that does not speak HTTP', async () => {
      const p = await tcpPeer((sock) => sock.end('-ERR unknown command\r\n'));
      closers.push(p);
      const m = await recipeFile(
        'not-http',
        `{ request: { url: 'http://127.0.0.1:${p.port}/' }, ${THROWS_IF_CALLED} }`,
      );
      const r = await run(m);
      expect(r.outcome).toBe('fail');
      expect(r.message).toBe(
        `GET http://127.0.0.1:${p.port}/ did not answer with HTTP (it sent "-ERR unknown command\\r\\n")`,
      );
    });

    it('for a host that does not resolve', async () => {
      const m = await recipeFile(
        'nxdomain',
        `{ request: { url: 'http://nonexistent.invalid/' }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m)).toMatchObject({
        outcome: 'fail',
        message: expect.stringMatching(
          /^cannot resolve host of GET http:\/\/nonexistent\.invalid\/ \((ENOTFOUND|EAI_AGAIN)\)$/,
        ) as string,
      });
    });

    it('on a redirect loop', async () => {
      const s = await stub((req, res) =>
        res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end(),
      );
      const m = await recipeFile(
        'loop',
        `{ request: { url: '${s.origin}/a' }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m)).toMatchObject({
        outcome: 'fail',
        message: `GET ${s.origin}/a redirects in a loop`,
      });
    });

    it('past maxRedirects', async () => {
      const s = await stub((req, res) =>
        res.writeHead(301, { location: `/${Number(req.url.slice(1)) + 1}` }).end(),
      );
      const m = await recipeFile(
        'chain',
        `{ request: { url: '${s.origin}/0', maxRedirects: 3 }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m)).toMatchObject({
        outcome: 'fail',
        message: `HTTP 301 from GET ${s.origin}/0 (gave up after 3 redirects)`,
      });
      expect(s.requests.map((r) => r.url)).toEqual(['/0', '/1', '/2', '/3']);
    });

    it('at the timeout against a body that trickles', async () => {
      const s = await stub((_req, res) => {
        res.writeHead(200);
        const drip = setInterval(() => res.write('.'), 20);
        res.on('close', () => clearInterval(drip));
      });
      const m = await recipeFile(
        'trickle',
        `{ request: { url: '${s.origin}/' }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m, {}, { timeoutMs: 300 })).toMatchObject({
        outcome: 'fail',
        message: `timed out after 300ms (GET ${s.origin}/)`,
      });
    });

    it('for a body larger than maxBytes', async () => {
      const s = await stub(reply(200, 'x'.repeat(200_000)));
      const m = await recipeFile(
        'big',
        `{ request: { url: '${s.origin}/', maxBytes: 1000 }, ${THROWS_IF_CALLED} }`,
      );
      expect(await run(m)).toMatchObject({
        outcome: 'fail',
        message: `response body from GET ${s.origin}/ exceeds 1000 bytes`,
      });
    });
  });

  it.each([
    [[503], 'ok'],
    ['any', 'ok'],
    [[404], 'fail'],
  ])('with acceptStatus %j hands a 503 to the recipe: %s', async (acceptStatus, outcome) => {
    const s = await stub(reply(503, 'maintenance'));
    const m = await recipeFile(
      `accept-${outcome}-${String(acceptStatus)}`,
      `{ request: { url: '${s.origin}/', acceptStatus: ${JSON.stringify(acceptStatus)} }, handleResponse: (r) => r.status === 503 ? 'ok' : 'fail' }`,
    );
    expect((await run(m)).outcome).toBe(outcome);
  });

  it('fails, rather than crashing, when the recipe reads invalid JSON', async () => {
    const s = await stub(reply(200, '<html>oops</html>'));
    const m = await recipeFile(
      'json',
      `{ request: { url: '${s.origin}/' }, handleResponse: (r) => (r.json() as { ok: boolean }).ok ? 'ok' : 'fail' }`,
    );
    expect(await run(m)).toMatchObject({
      outcome: 'fail',
      message: expect.stringMatching(
        new RegExp(`^response from GET ${s.origin}/ is not valid JSON \\(.*\\)$`),
      ) as string,
    });
  });

  it('fails at the timeout when request() never returns', async () => {
    const m = await recipeFile(
      'slow-request',
      `{ request: () => new Promise<never>(() => {}), ${THROWS_IF_CALLED} }`,
    );
    const r = await run(m, {}, { timeoutMs: 200 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'timed out after 200ms (recipe slow-request in request)',
    });
  });

  it('fails at the timeout when handleResponse never returns', async () => {
    const s = await stub(reply(200, 'ok'));
    const m = await recipeFile(
      'hangs',
      `{ request: { url: '${s.origin}/' }, handleResponse: () => new Promise<'ok'>(() => {}) }`,
    );
    const r = await run(m, {}, { timeoutMs: 300 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'timed out after 300ms (recipe hangs in handleResponse)',
    });
  });

  describe('a recipe that throws is a crash: run() rejects naming the recipe and where', () => {
    it('in handleResponse, with the line in the recipe', async () => {
      const s = await stub(reply(200, '[]'));
      const m = await rawFile(
        'crashy.ts',
        [
          `import { defineRecipe } from 'vigil/recipe';`,
          `export default defineRecipe({`,
          `  request: { url: '${s.origin}/' },`,
          `  handleResponse(response) {`,
          `    const builds = response.json() as { status: string }[];`,
          `    return builds[0]!.status === 'success' ? 'ok' : 'fail';`,
          `  },`,
          `});`,
        ].join('\n'),
      );
      // Vitest maps stack traces its own way; without it, Node applies the recipe's source map as in production.
      const errorClass = Error as { prepareStackTrace?: unknown };
      const prepare = errorClass.prepareStackTrace;
      errorClass.prepareStackTrace = undefined;
      const error = await run(m)
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => (errorClass.prepareStackTrace = prepare));
      expect(error).toBeInstanceOf(RecipeError);
      expect(hasErrorCode(error, 'RECIPE_ERROR')).toBe(true);
      const e = error as RecipeError;
      expect(e.message).toBe(
        "recipe crashy (./crashy.ts) threw in handleResponse at crashy.ts:6:23: TypeError: Cannot read properties of undefined (reading 'status')",
      );
      expect(e).toMatchObject({
        phase: 'handleResponse',
        retryable: true,
        location: `${join(recipes.dir, 'crashy.ts')}:6:23`,
      });
      expect(e.cause).toBeInstanceOf(TypeError);
    });

    it('in request()', async () => {
      const m = await recipeFile(
        'request-throws',
        `{ request: () => { throw new Error('no token'); }, handleResponse: () => 'ok' }`,
      );
      await expect(run(m)).rejects.toThrow(
        /^recipe request-throws \(\.\/request-throws\.ts\) threw in request at request-throws\.ts:\d+:\d+: Error: no token$/,
      );
    });

    it('with a non-error', async () => {
      const s = await stub(reply(200, ''));
      const m = await recipeFile(
        'throws-string',
        `{ request: { url: '${s.origin}/' }, handleResponse: () => { throw 'nope'; } }`,
      );
      await expect(run(m)).rejects.toThrow(
        'recipe throws-string (./throws-string.ts) threw in handleResponse: a non-error: nope',
      );
    });

    it.each([
      ['"green"', `'green'`],
      ['undefined', 'undefined'],
      ['{"outcome":"ok","msg":"typo"}', `{ outcome: 'ok', msg: 'typo' }`],
      ['{"outcome":"ok","value":"12"}', `{ outcome: 'ok', value: '12' }`],
      ['a function', '() => 1'],
    ])('when handleResponse returns %s', async (shown, returned) => {
      const s = await stub(reply(200, ''));
      const name = `returns-${shown.replace(/\W/g, '')}`;
      const m = await recipeFile(
        name,
        `{ request: { url: '${s.origin}/' }, handleResponse: () => (${returned}) as never }`,
      );
      await expect(run(m)).rejects.toThrow(
        `recipe ${name} (./${name}.ts) handleResponse returned ${shown}; expected 'ok', 'fail', 'pending', 'degraded' or { outcome, message?, value? }`,
      );
    });

    it('when request() returns an invalid request', async () => {
      const m = await recipeFile(
        'bad-dynamic',
        `{ request: () => ({ url: 'localhost:80', method: 'FETCH' }) as never, handleResponse: () => 'ok' }`,
      );
      await expect(run(m)).rejects.toThrow(
        /^recipe bad-dynamic \(\.\/bad-dynamic\.ts\) request\(\) returned an invalid request: url must be an absolute http\(s\) URL; method Invalid option: .*$/,
      );
    });
  });

  it('leaves no connection open, after answers and after timeouts', async () => {
    const s = await stub((req, res) => {
      if (req.url !== '/slow') res.end('');
    });
    const fast = await recipeFile(
      'tidy',
      `{ request: { url: '${s.origin}/' }, handleResponse: () => 'ok' }`,
    );
    const slow = await recipeFile(
      'tidy-slow',
      `{ request: { url: '${s.origin}/slow' }, handleResponse: () => 'ok' }`,
    );
    for (let i = 0; i < 3; i++) {
      expect((await run(fast)).outcome).toBe('ok');
      expect((await run(slow, {}, { timeoutMs: 100 })).outcome).toBe('fail');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.openConnections()).toBe(0);
  });

  it('validates its config', () => {
    expect(schemaIssues(recipe, { module: './recipes/x.py', options: [], extra: true })).toEqual([
      'module: must be a .ts, .mts, .js or .mjs file',
      'options: Invalid input: expected record, received array',
      ': Unrecognized key: "extra"',
    ]);
    expect(schemaIssues(recipe, { options: {} })).toEqual([
      'module: Invalid input: expected string, received undefined',
    ]);
  });

  it('documents valid examples in docs/checks.md, for the example recipes', () => {
    const monitors = loadDocExamples('recipe', { CI_TOKEN: 't' }).flatMap((c) => c.monitors);
    expect(monitors.map((m) => (m.check as { module: string }).module)).toEqual([
      './recipes/ci-status.ts',
      './recipes/platform-status.ts',
    ]);
  });
});
