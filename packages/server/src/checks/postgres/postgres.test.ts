import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '@vigil/resilience';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { yamlExamples } from '../../../test/doc-examples.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../index.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { leakedSince, openHandles } from '../../../test/open-handles.js';
import { pgAuthPeer, pgTlsProxy } from '../../../test/pg-peers.js';
import { makeTestCerts, type TestCerts } from '../../../test/tls-certs.js';
import { postgres } from './index.js';

const server = { host: '127.0.0.1', user: 'postgres', database: 'test' };
const deps = { clock: systemClock, configDir: '.', heartbeats: { last: () => undefined } };
const target = '127.0.0.1:5432';

let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ ...server, port: 5432 });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const track = async (peer: Promise<Peer>): Promise<Peer> => {
  const p = await peer;
  peers.push(p);
  return p;
};

/** Backends still running a query that carries `marker`, polled until none (at most 2 s). */
async function backendsWith(marker: string): Promise<number> {
  let count = 0;
  for (let waited = 0; waited <= 2000; waited += 50) {
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
      [`%${marker}%`],
    );
    count = Number(rows[0]?.n);
    if (count === 0) return 0;
    await sleep(50);
  }
  return count;
}

describe('postgres check against the real server', () => {
  it('passes on SELECT 1 with phases, the value and the server version', async () => {
    const r = await runCheck(postgres, server);
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned 1', value: 1 });
    expect(r.details?.version).toMatch(/^\d+\.\d+/);
    expect(r.details).not.toHaveProperty('tls');
    const { connect = -1, query = -1, total = -1 } = r.phases ?? {};
    expect(connect).toBeGreaterThan(0);
    expect(query).toBeGreaterThan(0);
    expect(total).toBe(r.latencyMs);
    expect(connect + query).toBeCloseTo(total, 1);
  });

  it('connects by url, taking a password from its own field', async () => {
    const r = await runCheck(postgres, {
      url: 'postgresql://postgres@127.0.0.1/test',
      password: 'ignored-by-trust-auth',
    });
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned 1' });
  });

  it.each([
    ['SELECT 1', 1, 'query returned 1'],
    ['SELECT 1', '1', 'query returned 1'],
    ['SELECT 1.50::numeric', 1.5, 'query returned 1.50'],
    ['SELECT count(*) FROM pg_database WHERE datname = current_database()', 1, 'query returned 1'],
    ['SELECT 9007199254740993::bigint', '9007199254740993', 'query returned 9007199254740993'],
    ['SELECT true', true, 'query returned true'],
    ['SELECT pg_is_in_recovery()', 'f', 'query returned false'],
    ["SELECT 'primary'", 'primary', 'query returned "primary"'],
    ['SELECT NULL', null, 'query returned NULL'],
  ])('passes: %s expecting %j', async (query, expected, message) => {
    const r = await runCheck(postgres, { ...server, query, expect: expected });
    expect(r).toMatchObject({ outcome: 'ok', message });
  });

  it.each([
    ['SELECT 0', 1, 'query returned 0, expected 1'],
    [
      'SELECT 9007199254740993::bigint',
      '9007199254740992',
      'query returned 9007199254740993, expected 9007199254740992',
    ],
    ['SELECT pg_is_in_recovery()', true, 'query returned false, expected true'],
    ["SELECT 'replica'", 'primary', 'query returned "replica", expected "primary"'],
    ['SELECT NULL', 0, 'query returned NULL, expected 0'],
    ['SELECT 1 WHERE false', 1, 'query returned no rows, expected 1'],
  ])('fails: %s expecting %j', async (query, expected, message) => {
    const r = await runCheck(postgres, { ...server, query, expect: expected });
    expect(r).toMatchObject({ outcome: 'fail', message });
    expect(r.details?.version).toBeDefined();
  });

  it('passes a query with no rows when nothing is expected', async () => {
    const r = await runCheck(postgres, { ...server, query: 'SELECT 1 WHERE false' });
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned no rows' });
    expect(r).not.toHaveProperty('value');
  });

  it('judges numbers against min/max and reports them as the value', async () => {
    const lag = `SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)`;
    expect(await runCheck(postgres, { ...server, query: lag, max: 30 })).toMatchObject({
      outcome: 'ok',
      value: 0,
    });
    const connections = 'SELECT count(*) FROM pg_stat_activity';
    const busy = await runCheck(postgres, { ...server, query: connections, min: 1, max: 1000 });
    expect(busy.outcome).toBe('ok');
    expect(busy.value).toBeGreaterThanOrEqual(1);
    expect(await runCheck(postgres, { ...server, query: 'SELECT 42', max: 10 })).toMatchObject({
      outcome: 'fail',
      message: 'query returned 42, expected a number of at most 10',
      value: 42,
    });
    expect(
      await runCheck(postgres, { ...server, query: 'SELECT 4', min: 5, max: 10 }),
    ).toMatchObject({
      outcome: 'fail',
      message: 'query returned 4, expected a number between 5 and 10',
    });
    expect(await runCheck(postgres, { ...server, query: "SELECT 'n/a'", min: 0 })).toMatchObject({
      outcome: 'fail',
      message: 'query returned "n/a", expected a number of at least 0',
    });
  });

  it('keeps only the first row of a large result', async () => {
    const r = await runCheck(postgres, {
      ...server,
      query: 'SELECT g FROM generate_series(7, 50006) AS g',
      expect: 7,
    });
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned 7' });
  });

  it('reports a SQL error as a failed query, after the connect phase', async () => {
    const r = await runCheck(postgres, { ...server, query: 'SELECT * FROM vigil_no_such_table' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'query failed: relation "vigil_no_such_table" does not exist',
    });
    expect(r.phases?.connect).toBeGreaterThan(0);
  });

  it('reports an unknown database and an unknown role with the target', async () => {
    expect(await runCheck(postgres, { ...server, database: 'vigil_nope' })).toMatchObject({
      outcome: 'fail',
      message: `database "vigil_nope" does not exist (${target})`,
    });
    expect(await runCheck(postgres, { ...server, user: 'vigil_nobody' })).toMatchObject({
      outcome: 'fail',
      message: `role "vigil_nobody" does not exist (${target})`,
    });
  });

  it('reports SSL asked of a server without it', async () => {
    expect(await runCheck(postgres, { ...server, ssl: 'require' })).toMatchObject({
      outcome: 'fail',
      message: `${target} does not accept SSL connections (set ssl: off, or enable SSL on the server)`,
    });
  });

  it('reports a wrong protocol: the MariaDB port', async () => {
    expect(await runCheck(postgres, { ...server, port: 3306 })).toMatchObject({
      outcome: 'fail',
      message:
        '127.0.0.1:3306 does not speak the PostgreSQL protocol (it looks like a MySQL or MariaDB server)',
    });
  });

  it('times out a slow query at the limit and the server ends it: no backend lingers', async () => {
    const marker = `vigil-test-${randomUUID()}`;
    const before = openHandles();
    const r = await runCheck(
      postgres,
      { ...server, query: `SELECT pg_sleep(5) /* ${marker} */` },
      { timeoutMs: 300 },
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (query still running on ${target})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(await leakedSince(before)).toEqual({ sockets: 0, timers: 0 });
    expect(await backendsWith(marker)).toBe(0);
  });

  it("reports the server's own statement timeout in the server's words", async () => {
    const query = 'SET LOCAL statement_timeout = 50; SELECT pg_sleep(1)';
    expect(await runCheck(postgres, { ...server, query })).toMatchObject({
      outcome: 'fail',
      message: 'query failed: canceling statement due to statement timeout',
    });
  });

  it('closes its connection after every run: no socket, timer or backend left', async () => {
    const marker = `vigil-test-${randomUUID()}`;
    const before = openHandles();
    for (const query of [`SELECT 1 /* ${marker} */`, `SELECT nope /* ${marker} */`]) {
      await runCheck(postgres, { ...server, query });
      expect(await leakedSince(before)).toEqual({ sockets: 0, timers: 0 });
    }
    expect(await backendsWith(marker)).toBe(0);
  });
});

describe('postgres check against hostile targets', () => {
  it('does not even connect when the signal has already aborted', async () => {
    const check = await postgres.create(postgres.schema.parse(server), deps, 'db');
    const controller = new AbortController();
    controller.abort(new Error('monitor stopped'));
    const before = openHandles();
    const r = await check.run({
      signal: controller.signal,
      clock: systemClock,
      timeoutMs: 1000,
      monitorId: 'db',
    });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 1s (connecting to ${target})`,
    });
    expect(openHandles().sockets).toBe(before.sockets);
  });

  it('reports a refused connection (an IPv6 target in brackets)', async () => {
    const port = await closedPort();
    expect(await runCheck(postgres, { ...server, port })).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
    expect(
      await runCheck(postgres, { url: `postgres://postgres@[::1]:${port}/test` }),
    ).toMatchObject({
      outcome: 'fail',
      message: `connection refused by [::1]:${port}`,
    });
  });

  it('times out at the limit on a black hole, saying it never answered', async () => {
    const p = await track(tcpPeer());
    const before = openHandles();
    const r = await runCheck(postgres, { ...server, port: p.port }, { timeoutMs: 200 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 200ms (127.0.0.1:${p.port} accepted the connection but never answered)`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(190);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(openHandles().sockets).toBeLessThanOrEqual(before.sockets + 1); // the peer's side, closing
  });

  it('times out on a server that stalls in the handshake', async () => {
    const p = await track(pgAuthPeer({ stall: true }));
    const r = await runCheck(postgres, { ...server, port: p.port }, { timeoutMs: 200 });
    expect(r.message).toBe(
      `timed out after 200ms (127.0.0.1:${p.port} did not complete the PostgreSQL handshake)`,
    );
  });

  it.each([
    ['garbage', (s: Socket) => s.write('HELLO garbage\r\n'), 'it sent "HELLO garbage\\r\\n"'],
    [
      'an HTTP server',
      (s: Socket) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')),
      'it looks like an HTTP server',
    ],
    [
      'a huge claimed length',
      (s: Socket) => s.write(Buffer.from('R\x7f\xff\xff\xff', 'latin1')),
      'it sent "R\\x7f\\xff\\xff\\xff"',
    ],
  ])('reports a wrong protocol: %s', async (_name, behave, hint) => {
    const p = await track(tcpPeer(behave));
    expect(await runCheck(postgres, { ...server, port: p.port })).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} does not speak the PostgreSQL protocol (${hint})`,
    });
  });

  it('reports a server that hangs up during the handshake', async () => {
    const p = await track(tcpPeer((s) => s.end()));
    expect(await runCheck(postgres, { ...server, port: p.port })).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} closed the connection during the PostgreSQL handshake`,
    });
  });

  it('reports a host that does not resolve', async () => {
    const r = await runCheck(postgres, { ...server, host: 'nonexistent.invalid' });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /^cannot resolve host of nonexistent\.invalid:5432 \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it('reports a refused password without ever showing it', async () => {
    const p = await track(pgAuthPeer());
    const r = await runCheck(postgres, {
      ...server,
      user: 'alice',
      password: 'hunter2-secret',
      port: p.port,
    });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `password authentication failed for user "alice" (127.0.0.1:${p.port})`,
    });
    const echo = await track(pgAuthPeer({ echoPassword: true }));
    const url = `postgres://alice:hunter2-secret@127.0.0.1:${echo.port}/test`;
    const echoed = await runCheck(postgres, { url });
    expect(echoed.message).toBe(
      `password authentication failed for user "alice" (you sent "***") (127.0.0.1:${echo.port})`,
    );
    expect(JSON.stringify(echoed)).not.toContain('hunter2');
  });
});

describe('postgres check over TLS (a TLS proxy in front of the real server)', () => {
  let certs: TestCerts;
  let proxy: Peer;
  beforeAll(async () => {
    certs = await makeTestCerts();
    proxy = await pgTlsProxy(certs);
  });
  afterAll(async () => {
    await proxy.close();
    await certs.remove();
  });
  const run = (config: Record<string, unknown>) =>
    runCheck(
      postgres,
      { ...server, port: proxy.port, ...config },
      { deps: { configDir: certs.dir } },
    );

  it('passes with ssl: require (encrypted, certificate not verified)', async () => {
    const r = await run({ ssl: 'require' });
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned 1' });
    expect(r.details?.tls).toMatch(/^TLSv1\.[23]$/);
  });

  it('passes with ssl: verify-full and the CA that signed the certificate', async () => {
    expect(await run({ ssl: 'verify-full', ca: certs.caFile })).toMatchObject({ outcome: 'ok' });
  });

  it.each([
    ['another CA', { ca: 'other-ca.pem' }, /^TLS handshake with 127\.0\.0\.1:\d+ failed: /],
    ['the system CAs', {}, /^TLS handshake with 127\.0\.0\.1:\d+ failed: /],
    [
      'a host name the certificate does not name',
      { host: 'localhost', ca: 'ca.pem' },
      /^TLS handshake with localhost:\d+ failed: .*localhost/,
    ],
  ])('fails verify-full against %s', async (_name, config, message) => {
    const r = await run({ ssl: 'verify-full', ...config });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(message);
  });

  it('reports a CA file it cannot read, with its resolved path', async () => {
    const r = await run({ ssl: 'verify-full', ca: 'missing.pem' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `cannot read the CA file ${certs.dir}/missing.pem (ENOENT)`,
    });
  });
});

describe('postgres config', () => {
  it('accepts the documented forms and applies defaults', () => {
    expect(postgres.schema.parse({ host: 'db', user: 'u' })).toEqual({
      host: 'db',
      user: 'u',
      ssl: 'off',
      query: 'SELECT 1',
    });
    expect(schemaIssues(postgres, { url: 'postgres://u:p%40ss@db:6432/app' })).toEqual([]);
    expect(
      schemaIssues(postgres, { url: 'postgresql://u@[::1]/app', ssl: 'verify-full', ca: 'ca.pem' }),
    ).toEqual([]);
  });

  it.each([
    [{}, [': set url, or host and user']],
    [{ host: 'db' }, ['user: is required with host']],
    [{ host: 'db', user: 'u', port: 0 }, ['port: Too small: expected number to be >=1']],
    [
      { host: 'db', user: 'u', port: '5432' },
      ['port: Invalid input: expected number, received string'],
    ],
    [
      { host: 'db', user: 'u', ssl: 'yes' },
      ['ssl: Invalid option: expected one of "off"|"require"|"verify-full"'],
    ],
    [{ host: 'db', user: 'u', ca: 'ca.pem' }, ['ca: is only used with ssl: verify-full']],
    [
      { host: 'db', user: 'u', expect: 1, max: 2 },
      ['expect: cannot be combined with min/max; use one or the other'],
    ],
    [{ host: 'db', user: 'u', min: 5, max: 2 }, ['max: must be at least min (5)']],
    [
      { host: 'db', user: 'u', query: '  ' },
      ['query: Too small: expected string to have >=1 characters'],
    ],
    [{ host: 'db', user: 'u', expect: [1] }, ['expect: Invalid input']],
    [{ host: 'db', user: 'u', timeout: 5 }, [': Unrecognized key: "timeout"']],
    [
      { url: 'postgres://u:pw@db/x', host: 'db' },
      ['host: cannot be combined with url; set one or the other'],
    ],
    [{ url: 'mysql://u:secretpw@db/x' }, ['url: must start with postgres:// or postgresql://']],
    [
      { url: 'not a url secretpw' },
      ['url: is not a URL; write postgres://user:password@host:port/database'],
    ],
    [
      { url: 'postgres://db/x' },
      ['url: has no user name; write postgres://user:password@host:port/database'],
    ],
    [
      { url: 'postgres://u:secretpw@db/x?sslmode=require' },
      ["url: cannot carry parameters (sslmode); use the check's options, e.g. ssl"],
    ],
    [{ url: 'postgres://u@db/x/y' }, ['url: has more than a database in its path']],
  ])('rejects %j naming the field', (config, issues) => {
    const found = schemaIssues(postgres, config);
    expect(found).toEqual(issues);
    expect(found.join()).not.toContain('secretpw');
  });
});

describe('postgres docs', () => {
  it('has examples that are valid configs', () => {
    const examples = yamlExamples('postgres');
    expect(examples.length).toBeGreaterThan(0);
    for (const text of examples) {
      const config = loadConfig(text, {
        file: 'docs/checks.md',
        dir: '/etc/vigil',
        env: { ORDERS_DB_PASSWORD: 'x' },
        kinds: checkKinds,
      });
      expect(config.monitors.every((m) => m.kind === 'postgres')).toBe(true);
    }
  });
});
