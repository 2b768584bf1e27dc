import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { yamlExamples } from '../../../test/doc-examples.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../index.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../../test/mariadb-server.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { leakedSince, openHandles } from '../../../test/open-handles.js';
import { makeTestCerts, type TestCerts } from '../../../test/tls-certs.js';
import { mysql } from './index.js';

const server = { host: '127.0.0.1', user: 'root' };
const target = '127.0.0.1:3306';
/** A user of the test's own, with a password, dropped after the tests. */
const user = { name: `vigil_t_${randomBytes(4).toString('hex')}`, password: 'right-pass-4f9c' };

let admin: Connection;
beforeAll(async () => {
  admin = await createConnection({ ...server, port: 3306 });
  await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user.name, user.password]);
});
afterAll(async () => {
  await admin.query(`DROP USER IF EXISTS ?@'%'`, [user.name]);
  await admin.end();
});

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const peer = async (onConnection?: (socket: Socket) => void): Promise<Peer> => {
  const p = await tcpPeer(onConnection);
  peers.push(p);
  return p;
};

/** Connections the test user still has open on the server, polled until none (at most 2 s). */
async function connectionsOf(name: string): Promise<number> {
  let count = 0;
  for (let waited = 0; waited <= 2000; waited += 50) {
    const [rows] = await admin.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?',
      [name],
    );
    count = Number(rows[0]?.n);
    if (count === 0) return 0;
    await sleep(50);
  }
  return count;
}

const asUser = { host: '127.0.0.1', user: user.name, password: user.password };

describe('mysql check against the real server (MariaDB)', () => {
  it('passes on SELECT 1 with phases, the value and the server version', async () => {
    const r = await runCheck(mysql, server);
    expect(r).toMatchObject({ outcome: 'ok', message: 'query returned 1', value: 1 });
    expect(r.details?.version).toMatch(/^\d+\.\d+\.\d+-MariaDB/);
    const { connect = -1, query = -1, total = -1 } = r.phases ?? {};
    expect(connect).toBeGreaterThan(0);
    expect(query).toBeGreaterThan(0);
    expect(total).toBe(r.latencyMs);
  });

  it('connects by url (mysql:// and mariadb://), with a user and password', async () => {
    const url = `mysql://${user.name}:${encodeURIComponent(user.password)}@127.0.0.1:3306`;
    expect(await runCheck(mysql, { url })).toMatchObject({ outcome: 'ok' });
    const viaField = { url: `mariadb://${user.name}@127.0.0.1/`, password: user.password };
    expect(await runCheck(mysql, viaField)).toMatchObject({ outcome: 'ok' });
  });

  it.each([
    ['SELECT 1', 1, 'query returned 1'],
    ['SELECT 1', true, 'query returned 1'],
    ['SELECT 1 = 0', false, 'query returned 0'],
    ["SELECT '1.0'", 1, 'query returned 1.0'],
    ['SELECT CAST(2.50 AS DECIMAL(5,2))', 2.5, 'query returned 2.50'],
    ['SELECT 9007199254740993', '9007199254740993', 'query returned 9007199254740993'],
    ["SELECT @@version_comment LIKE '%'", 1, 'query returned 1'],
    ["SELECT 'primary'", 'primary', 'query returned "primary"'],
    ['SELECT NULL', null, 'query returned NULL'],
    ['SELECT @@global.read_only', false, 'query returned 0'],
  ])('passes: %s expecting %j', async (query, expected, message) => {
    const r = await runCheck(mysql, { ...server, query, expect: expected });
    expect(r).toMatchObject({ outcome: 'ok', message });
  });

  it.each([
    ['SELECT 0', 1, 'query returned 0, expected 1'],
    ['SELECT 0', true, 'query returned 0, expected true'],
    [
      'SELECT 9007199254740993',
      '9007199254740992',
      'query returned 9007199254740993, expected 9007199254740992',
    ],
    ["SELECT 'replica'", 'primary', 'query returned "replica", expected "primary"'],
    ['SELECT 1 FROM DUAL WHERE 1 = 0', 1, 'query returned no rows, expected 1'],
  ])('fails: %s expecting %j', async (query, expected, message) => {
    const r = await runCheck(mysql, { ...server, query, expect: expected });
    expect(r).toMatchObject({ outcome: 'fail', message });
  });

  it('passes statements without rows when nothing is expected', async () => {
    expect(await runCheck(mysql, { ...server, query: 'DO 1' })).toMatchObject({
      outcome: 'ok',
      message: 'query returned no rows',
    });
  });

  it('judges numbers against min/max and reports them as the value', async () => {
    const threads =
      "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED'";
    const busy = await runCheck(mysql, { ...server, query: threads, min: 1, max: 10_000 });
    expect(busy.outcome).toBe('ok');
    expect(busy.value).toBeGreaterThanOrEqual(1);
    expect(await runCheck(mysql, { ...server, query: 'SELECT 42', max: 10 })).toMatchObject({
      outcome: 'fail',
      message: 'query returned 42, expected a number of at most 10',
      value: 42,
    });
    const now = await runCheck(mysql, { ...server, query: 'SELECT NOW()', min: 0 });
    expect(now.outcome).toBe('fail');
    expect(now.message).toMatch(
      /^query returned "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", expected a number of at least 0$/,
    );
  });

  it('keeps only the first row of a large result', async () => {
    const query = 'SELECT seq FROM seq_7_to_50006';
    expect(await runCheck(mysql, { ...server, database: 'mysql', query, expect: 7 })).toMatchObject(
      { outcome: 'ok' },
    );
  });

  it('reports a SQL error as a failed query, after the connect phase', async () => {
    const r = await runCheck(mysql, {
      ...server,
      query: 'SELECT * FROM mysql.vigil_no_such_table',
    });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: "query failed: Table 'mysql.vigil_no_such_table' doesn't exist",
    });
    expect(r.phases?.connect).toBeGreaterThan(0);
  });

  it('reports an unknown database with the target', async () => {
    expect(await runCheck(mysql, { ...server, database: 'vigil_nope' })).toMatchObject({
      outcome: 'fail',
      message: `Unknown database 'vigil_nope' (${target})`,
    });
  });

  it('reports a wrong password and an unknown user, never showing the password', async () => {
    const wrong = await runCheck(mysql, { ...asUser, password: 'wrong-pass-77' });
    expect(wrong.outcome).toBe('fail');
    expect(wrong.message).toMatch(
      new RegExp(`^Access denied for user '${user.name}'@'[^']+' .*\\(${target}\\)$`),
    );
    expect(JSON.stringify(wrong)).not.toContain('wrong-pass-77');
    const nobody = await runCheck(mysql, { ...server, user: 'vigil_nobody', password: 'pw-123' });
    expect(nobody.message).toMatch(/^Access denied for user 'vigil_nobody'@/);
    expect(await runCheck(mysql, asUser)).toMatchObject({ outcome: 'ok' });
  });

  it('reports SSL asked of a server without it', async () => {
    expect(await runCheck(mysql, { ...server, ssl: 'require' })).toMatchObject({
      outcome: 'fail',
      message: `${target} does not accept SSL connections (set ssl: off, or enable SSL on the server)`,
    });
  });

  it('times out a slow query at the limit and the server ends it: no connection lingers', async () => {
    const before = openHandles();
    const r = await runCheck(mysql, { ...asUser, query: 'SELECT SLEEP(5)' }, { timeoutMs: 300 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (query still running on ${target})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(await leakedSince(before)).toEqual({ sockets: 0, timers: 0 });
    expect(await connectionsOf(user.name)).toBe(0);
  });

  it("reports the server's own statement time limit in the server's words", async () => {
    const query = 'SET STATEMENT max_statement_time = 0.05 FOR SELECT SLEEP(1)';
    expect(await runCheck(mysql, { ...server, query })).toMatchObject({
      outcome: 'fail',
      message: 'query failed: Query execution was interrupted (max_statement_time exceeded)',
    });
  });

  it('closes its connection after every run: no socket, timer or server connection left', async () => {
    const before = openHandles();
    for (const query of ['SELECT 1', 'SELECT nope', 'SELECT 0']) {
      await runCheck(mysql, { ...asUser, query, expect: 1 });
      expect(await leakedSince(before)).toEqual({ sockets: 0, timers: 0 });
    }
    expect(await connectionsOf(user.name)).toBe(0);
  });
});

describe('mysql check against hostile targets', () => {
  it('reports a refused connection', async () => {
    const port = await closedPort();
    expect(await runCheck(mysql, { ...server, port })).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('times out at the limit on a black hole, and on the PostgreSQL port (no greeting)', async () => {
    const p = await peer();
    for (const port of [p.port, 5432]) {
      const r = await runCheck(mysql, { ...server, port }, { timeoutMs: 200 });
      expect(r).toMatchObject({
        outcome: 'fail',
        message: `timed out after 200ms (127.0.0.1:${port} accepted the connection but never answered)`,
      });
      expect(r.latencyMs).toBeGreaterThanOrEqual(190);
      expect(r.latencyMs).toBeLessThan(1000);
    }
  });

  it.each([
    ['garbage', (s: Socket) => s.write('HELLO garbage\r\n'), 'it sent "HELLO garbage\\r\\n"'],
    [
      'an SSH server',
      (s: Socket) => s.write('SSH-2.0-OpenSSH_9.2p1\r\n'),
      'it looks like an SSH server',
    ],
    [
      'a packet out of sequence',
      (s: Socket) => s.write(Buffer.from([5, 0, 0, 3, 10, 1, 2, 3, 4])),
      'it sent "\\x05\\x00\\x00\\x03\\n\\x01\\x02\\x03\\x04"',
    ],
  ])('reports a wrong protocol: %s', async (_name, behave, hint) => {
    const p = await peer(behave);
    expect(await runCheck(mysql, { ...server, port: p.port })).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} does not speak the MySQL protocol (${hint})`,
    });
  });

  it('reports a server that hangs up during the handshake', async () => {
    const p = await peer((s) => s.end());
    expect(await runCheck(mysql, { ...server, port: p.port })).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} closed the connection during the MySQL handshake`,
    });
  });

  it('reports a host that does not resolve', async () => {
    const r = await runCheck(mysql, { ...server, host: 'nonexistent.invalid' });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /^cannot resolve host of nonexistent\.invalid:3306 \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });
});

describe('mysql check over TLS (a private MariaDB server with SSL)', () => {
  let certs: TestCerts;
  let db: PrivateMariadb;
  beforeAll(async () => {
    certs = await makeTestCerts();
    db = await startPrivateMariadb({ ssl: certs });
  });
  afterAll(async () => {
    await db.stop();
    await certs.remove();
  });
  const run = (config: Record<string, unknown>) =>
    runCheck(mysql, { ...server, port: db.port, ...config }, { deps: { configDir: certs.dir } });

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
});

describe('mysql config', () => {
  it('accepts the documented forms and applies defaults', () => {
    expect(mysql.schema.parse({ host: 'db', user: 'u' })).toEqual({
      host: 'db',
      user: 'u',
      ssl: 'off',
      query: 'SELECT 1',
    });
    expect(schemaIssues(mysql, { url: 'mariadb://u:p%40ss@db:3307/app', min: 0, max: 5 })).toEqual(
      [],
    );
  });

  it.each([
    [{ host: 'db' }, ['user: is required with host']],
    [{ host: 'db', user: 'u', port: 70_000 }, ['port: Too big: expected number to be <=65535']],
    [{ url: 'postgres://u:secretpw@db/x' }, ['url: must start with mysql:// or mariadb://']],
    [
      { url: 'mysql://u:secretpw@db/x', user: 'v', database: 'y' },
      [
        'user: cannot be combined with url; set one or the other',
        'database: cannot be combined with url; set one or the other',
      ],
    ],
    [
      { url: 'mysql://u:secretpw@db/x?ssl=true' },
      ["url: cannot carry parameters (ssl); use the check's options, e.g. ssl"],
    ],
    [
      { host: 'db', user: 'u', ssl: 'require', ca: 'ca.pem' },
      ['ca: is only used with ssl: verify-full'],
    ],
    [
      { host: 'db', user: 'u', min: 'low' },
      ['min: Invalid input: expected number, received string'],
    ],
  ])('rejects %j naming the field', (config, issues) => {
    const found = schemaIssues(mysql, config);
    expect(found).toEqual(issues);
    expect(found.join()).not.toContain('secretpw');
  });
});

describe('mysql docs', () => {
  it('has examples that are valid configs', () => {
    const examples = yamlExamples('mysql');
    expect(examples.length).toBeGreaterThan(0);
    for (const text of examples) {
      const config = loadConfig(text, {
        file: 'docs/checks.md',
        dir: '/etc/vigil',
        env: { SHOP_DB_PASSWORD: 'x' },
        kinds: checkKinds,
      });
      expect(config.monitors.every((m) => m.kind === 'mysql')).toBe(true);
    }
  });
});
