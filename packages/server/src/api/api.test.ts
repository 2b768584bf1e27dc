import { afterEach, describe, expect, it } from 'vitest';
import { apiHarness, MONITORS, type ApiHarness } from '../../test/api-harness.js';

let h: ApiHarness;
afterEach(async () => {
  await h.close();
});

const json = (r: { body: string }): unknown => JSON.parse(r.body);

describe('monitor routes', () => {
  it('lists monitors with their status for a read token, filtered by status, group, tag and text', async () => {
    h = await apiHarness();
    const all = await h.request('GET', '/api/v1/monitors', { token: h.tokens.read });
    expect(all.statusCode).toBe(200);
    const list = json(all) as { id: string; status: string; group: string }[];
    expect(list.map((m) => [m.id, m.status, m.group])).toEqual([
      ['api', 'up', 'web'],
      ['db', 'down', 'data'],
      ['cache', 'up', 'data'],
    ]);
    expect(list[0]).toMatchObject({
      name: 'Public API',
      tags: ['prod'],
      kind: 'scripted',
      lifecycle: 'running',
      lastCheck: { outcome: 'ok', message: 'ok #1', latencyMs: 5 },
    });
    const ids = async (query: string) =>
      (
        json(await h.request('GET', `/api/v1/monitors?${query}`, { token: h.tokens.read })) as {
          id: string;
        }[]
      ).map((m) => m.id);
    expect(await ids('status=down,degraded')).toEqual(['db']);
    expect(await ids('group=data')).toEqual(['db', 'cache']);
    expect(await ids('tag=prod')).toEqual(['api']);
    expect(await ids('q=PUBLIC')).toEqual(['api']);
  });

  it('answers 400 naming every bad field, 404 for an unknown monitor, 401 without credentials', async () => {
    h = await apiHarness();
    const bad = await h.request('GET', '/api/v1/monitors?status=broken&colour=red', {
      token: h.tokens.read,
    });
    expect(bad.statusCode).toBe(400);
    const fields = (json(bad) as { error: { fields: { where: string }[] } }).error.fields.map(
      (f) => f.where,
    );
    expect(fields).toEqual(['query.status.0', 'query']);
    expect(
      (await h.request('GET', '/api/v1/monitors/nope', { token: h.tokens.read })).statusCode,
    ).toBe(404);
    expect(json(await h.request('GET', '/api/v1/monitors/nope', { token: h.tokens.read }))).toEqual(
      {
        error: { code: 'NOT_FOUND', message: 'monitor "nope" does not exist' },
      },
    );
    const anonymous = await h.request('GET', '/api/v1/monitors');
    expect(anonymous.statusCode).toBe(401);
    expect((await h.request('GET', '/api/v1/monitors', { token: 'vigil_forged' })).statusCode).toBe(
      401,
    );
    expect(
      (await h.request('GET', '/api/v1/monitors', { headers: { authorization: 'Basic abc' } }))
        .statusCode,
    ).toBe(401);
  });

  it('shows a monitor in detail with its config', async () => {
    h = await apiHarness();
    const r = await h.request('GET', '/api/v1/monitors/db', { token: h.tokens.read });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({
      id: 'db',
      status: 'down',
      consecutiveFailures: 1,
      config: { intervalMs: 10_000, failureThreshold: 1, check: {} },
    });
  });

  it('lists groups with their monitor counts', async () => {
    h = await apiHarness();
    const r = await h.request('GET', '/api/v1/groups', { token: h.tokens.read });
    expect(json(r)).toEqual([
      { id: 'web', name: 'web', monitors: 1 },
      { id: 'data', name: 'data', monitors: 2 },
    ]);
  });
});

describe('control routes', () => {
  it('pause, resume and run need write scope', async () => {
    h = await apiHarness();
    const denied = await h.request('POST', '/api/v1/monitors/api/pause', { token: h.tokens.read });
    expect(denied.statusCode).toBe(403);
    expect((json(denied) as { error: { message: string } }).error.message).toMatch(/read scope/);
    const paused = await h.request('POST', '/api/v1/monitors/api/pause', { token: h.tokens.write });
    expect(paused.statusCode).toBe(200);
    expect(json(paused)).toMatchObject({
      id: 'api',
      status: 'paused',
      lifecycle: 'disabled',
      reason: 'paused by API token',
    });
    expect(
      (await h.request('POST', '/api/v1/monitors/api/run', { token: h.tokens.write })).statusCode,
    ).toBe(409);
    // resumed: checked at once (the scripted check answers immediately)
    expect(
      json(await h.request('POST', '/api/v1/monitors/api/resume', { token: h.tokens.write })),
    ).toMatchObject({ status: 'up', lifecycle: 'running' });
    expect(
      json(await h.request('POST', '/api/v1/monitors/api/run', { token: h.tokens.write })),
    ).toEqual({ queued: true });
    expect(
      (await h.request('POST', '/api/v1/monitors/ghost/pause', { token: h.tokens.write }))
        .statusCode,
    ).toBe(404);
  });

  it('reloads the config, and answers 422 with the problems of a bad one', async () => {
    h = await apiHarness();
    h.nextYaml = `${MONITORS}  - { id: extra, scripted: {} }\n`;
    const ok = await h.request('POST', '/api/v1/config/reload', { token: h.tokens.write });
    expect(json(ok)).toEqual({ added: ['extra'], changed: [], removed: [] });
    h.nextYaml = 'monitors:\n  - { id: x, scripted: { nope: 1 } }\n';
    const bad = await h.request('POST', '/api/v1/config/reload', { token: h.tokens.write });
    expect(bad.statusCode).toBe(422);
    expect(
      (json(bad) as { error: { fields: { where: string; message: string }[] } }).error.fields,
    ).toEqual([{ where: 'monitors[0].scripted.nope', message: 'unknown key "nope" (line 2)' }]);
    expect(h.engine.get('extra')).toBeDefined();
  });
});

describe('auth', () => {
  async function setUp(): Promise<{ cookies: Record<string, string>; csrf: string }> {
    const token = await h.auth.setupToken();
    const r = await h.request('POST', '/api/v1/auth/setup', {
      body: { token, username: 'admin', password: 'correct horse battery' },
    });
    expect(r.statusCode).toBe(200);
    const cookies = Object.fromEntries(r.cookies.map((c) => [c.name, c.value]));
    const session = r.cookies.find((c) => c.name === 'vigil_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    return { cookies, csrf: (json(r) as { csrf: string }).csrf };
  }

  it('first-run setup needs the setup token, then signs the admin in', async () => {
    h = await apiHarness();
    expect(json(await h.request('GET', '/api/v1/auth/status'))).toEqual({
      setupRequired: true,
      publicBoard: false,
    });
    const wrong = await h.request('POST', '/api/v1/auth/setup', {
      body: { token: 'guess', username: 'admin', password: 'correct horse battery' },
    });
    expect(wrong.statusCode).toBe(403);
    const weak = await h.request('POST', '/api/v1/auth/setup', {
      body: { token: await h.auth.setupToken(), username: 'admin', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect((json(weak) as { error: { fields: unknown[] } }).error.fields).toEqual([
      { where: 'body.password', message: 'must be at least 12 characters' },
    ]);
    const { cookies } = await setUp();
    expect(json(await h.request('GET', '/api/v1/auth/status', { cookies }))).toEqual({
      setupRequired: false,
      user: 'admin',
      publicBoard: false,
    });
    const again = await h.request('POST', '/api/v1/auth/setup', {
      body: { token: 'x', username: 'admin2', password: 'correct horse battery' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('a session may read; its writes need the CSRF header', async () => {
    h = await apiHarness();
    const { cookies, csrf } = await setUp();
    expect((await h.request('GET', '/api/v1/monitors', { cookies })).statusCode).toBe(200);
    const noCsrf = await h.request('POST', '/api/v1/monitors/api/pause', { cookies });
    expect(noCsrf.statusCode).toBe(403);
    expect((json(noCsrf) as { error: { message: string } }).error.message).toMatch(/X-CSRF-Token/);
    const wrongCsrf = await h.request('POST', '/api/v1/monitors/api/pause', {
      cookies,
      headers: { 'x-csrf-token': 'nope' },
    });
    expect(wrongCsrf.statusCode).toBe(403);
    const ok = await h.request('POST', '/api/v1/monitors/api/pause', {
      cookies,
      headers: { 'x-csrf-token': csrf },
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ reason: 'paused by admin' });
    const out = await h.request('POST', '/api/v1/auth/logout', { cookies });
    expect(out.statusCode).toBe(200);
    expect((await h.request('GET', '/api/v1/monitors', { cookies })).statusCode).toBe(401);
  });

  it('login: one message for a wrong user or password, then 429 with Retry-After', async () => {
    h = await apiHarness();
    await h.auth.createUser('admin', 'correct horse battery');
    const attempt = (password: string) =>
      h.request('POST', '/api/v1/auth/login', { body: { username: 'admin', password } });
    const wrong = await attempt('wrong password!!');
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong)).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'wrong username or password' },
    });
    const noUser = await h.request('POST', '/api/v1/auth/login', {
      body: { username: 'nobody', password: 'x' },
    });
    expect(json(noUser)).toEqual(json(wrong));
    for (let i = 0; i < 3; i++) await attempt('wrong password!!');
    const limited = await attempt('correct horse battery');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('12');
    await h.clock.advance(12_000);
    expect((await attempt('correct horse battery')).statusCode).toBe(200);
    expect(
      (await h.request('POST', '/api/v1/auth/login', { body: { username: 'admin' } })).statusCode,
    ).toBe(400);
  });

  it('API tokens: created by a session, shown once, never listed with their secret, revocable', async () => {
    h = await apiHarness();
    const { cookies, csrf } = await setUp();
    const headers = { 'x-csrf-token': csrf };
    const created = await h.request('POST', '/api/v1/tokens', {
      cookies,
      headers,
      body: { name: 'grafana', scope: 'read' },
    });
    expect(created.statusCode).toBe(200);
    const { token, id } = json(created) as { token: string; id: string };
    expect(token).toMatch(/^vigil_[\w-]{32}$/);
    expect((await h.request('GET', '/api/v1/monitors', { token })).statusCode).toBe(200);
    const listed = await h.request('GET', '/api/v1/tokens', { cookies });
    expect(listed.body).not.toContain(token);
    expect((json(listed) as { name: string }[]).map((t) => t.name)).toEqual([
      'reader',
      'writer',
      'grafana',
    ]);
    expect((await h.request('GET', '/api/v1/tokens', { token: h.tokens.write })).statusCode).toBe(
      403,
    );
    expect(
      (await h.request('DELETE', `/api/v1/tokens/${id}`, { cookies, headers })).statusCode,
    ).toBe(200);
    expect((await h.request('GET', '/api/v1/monitors', { token })).statusCode).toBe(401);
    expect(
      (await h.request('DELETE', `/api/v1/tokens/${id}`, { cookies, headers })).statusCode,
    ).toBe(404);
    const bad = await h.request('POST', '/api/v1/tokens', {
      cookies,
      headers,
      body: { name: '', scope: 'admin' },
    });
    expect(
      (json(bad) as { error: { fields: { where: string }[] } }).error.fields.map((f) => f.where),
    ).toEqual(['body.name', 'body.scope']);
  });

  it('a public board may be read by anyone but changed by no one anonymous', async () => {
    h = await apiHarness({ publicBoard: true });
    expect((await h.request('GET', '/api/v1/monitors')).statusCode).toBe(200);
    const write = await h.request('POST', '/api/v1/monitors/api/pause');
    expect(write.statusCode).toBe(403);
    expect((json(write) as { error: { message: string } }).error.message).toMatch(
      /public board is read-only/,
    );
  });
});

describe('system routes and client mistakes', () => {
  it('serves /healthz, /readyz, an OpenAPI document and JSON 404s', async () => {
    h = await apiHarness();
    expect(json(await h.request('GET', '/healthz'))).toEqual({ status: 'ok' });
    expect((await h.request('GET', '/readyz')).statusCode).toBe(200);
    const doc = json(await h.request('GET', '/api/v1/openapi.json')) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/monitors',
        '/api/v1/monitors/{id}',
        '/api/v1/monitors/{id}/pause',
        '/api/v1/auth/login',
      ]),
    );
    expect(doc.paths['/api/v1/monitors']?.get).toMatchObject({
      summary: 'List monitors with their current status',
    });
    const missing = await h.request('GET', '/api/v1/nothing');
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route GET /api/v1/nothing' },
    });
  });

  it('never answers 500 for malformed JSON or a body that is too large', async () => {
    h = await apiHarness();
    const malformed = await h.request('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(malformed.statusCode).toBe(400);
    const huge = await h.request('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: `{"username":"${'x'.repeat(2 << 20)}"}`,
    });
    expect(huge.statusCode).toBe(413);
    const wrongType = await h.request('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/xml' },
      body: '<a/>',
    });
    expect(wrongType.statusCode).toBe(415);
    const text = await h.request('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.statusCode).toBe(400);
  });

  it('/metrics needs read access unless public, and reports statuses and check runs', async () => {
    h = await apiHarness();
    expect((await h.request('GET', '/metrics')).statusCode).toBe(401);
    const r = await h.request('GET', '/metrics', { token: h.tokens.read });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain('vigil_monitor_status{monitor="db",group="data",status="down"} 1');
    expect(r.body).toContain('vigil_monitors{status="up"} 2');
    expect(r.body).toContain('vigil_checks_in_flight 0');
    await h.close();
    h = await apiHarness({ publicMetrics: true });
    expect((await h.request('GET', '/metrics')).statusCode).toBe(200);
  });
});
