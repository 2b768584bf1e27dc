import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import mysql, { type Connection, type QueryError, type SslOptions } from 'mysql2';
import {
  NO_ROWS,
  type ErrorClass,
  type FirstBytesVerdict,
  type OpenOptions,
  type SqlConnection,
  type SqlDriver,
  type SqlTls,
} from '../sql/index.js';

/** The largest first packet a MySQL server sends (its greeting, or an error), in bytes. */
const MAX_GREETING = 16_384;
const GREETING = 0x0a;
const ERROR_PACKET = 0xff;

/** The MySQL protocol (MySQL and MariaDB) through `mysql2`: one connection per run, no pool. */
export const mysqlDriver: SqlDriver = {
  protocol: 'MySQL',
  wire: () => ({ firstBytes }),
  open: openMysql,
  classify,
};

/** A server speaks first: a packet with sequence 0 holding its greeting (protocol 10) or an error. */
function firstBytes(prefix: Buffer): FirstBytesVerdict {
  if (prefix.length < 5) return 'more';
  const length = prefix.readUIntLE(0, 3);
  const kind = prefix[4];
  const plausible = length > 0 && length <= MAX_GREETING && prefix[3] === 0;
  return plausible && (kind === GREETING || kind === ERROR_PACKET) ? 'ok' : 'wrong';
}

interface Greeting {
  readonly serverVersion: string;
}

function openMysql({ endpoint, tls, socket }: OpenOptions): SqlConnection {
  socket.setNoDelay(true);
  socket.connect(endpoint.port, endpoint.host);
  if (isIP(endpoint.host) !== 0) {
    // Node's TLS checks a wrapped socket's identity against `socket._host`, which net leaves null for IP
    // addresses, and mysql2 passes no host or servername for them: the certificate would be checked for
    // `localhost`. Naming the address here makes verify-full check the address that was dialled.
    (socket as unknown as { _host: string })._host = endpoint.host;
  }
  const connection = mysql.createConnection({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    ...(endpoint.database === undefined ? {} : { database: endpoint.database }),
    ...(tls === undefined ? {} : { ssl: sslOptions(tls) }),
    stream: socket,
    connectTimeout: 0, // the check's signal bounds the run; no timer of mysql2's own
    connectAttributes: { program_name: 'vigil' },
    // A server must not be able to ask for local files, whatever the query.
    flags: ['-LOCAL_FILES'],
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  connection.on('error', () => {}); // errors reach the pending connect or query; this keeps them off the process
  let mariadb = false;
  const stream = (): Duplex => (connection as unknown as { stream: Duplex }).stream;
  return {
    async connect() {
      const greeting = await handshake(connection);
      mariadb = greeting.serverVersion.includes('MariaDB');
      const current = stream() as Partial<TLSSocket>;
      const protocol = typeof current.getProtocol === 'function' ? current.getProtocol() : null;
      return {
        version: mariadb ? greeting.serverVersion.replace(/^5\.5\.5-/, '') : greeting.serverVersion,
        ...(protocol === null ? {} : { tls: protocol }),
      };
    },
    async firstValue(sql, limitMs) {
      await limitStatementTime(connection, limitMs, mariadb);
      return firstValue(connection, sql);
    },
    end: () => goodbye(connection, socket),
    destroy() {
      connection.destroy();
      stream().destroy();
      socket.destroy();
    },
  };
}

function sslOptions(tls: SqlTls): SslOptions {
  const options = { rejectUnauthorized: tls.verify, verifyIdentity: tls.verify };
  return tls.ca === undefined ? options : { ...options, ca: tls.ca };
}

function handshake(connection: Connection): Promise<Greeting> {
  return new Promise((resolve, reject) => {
    connection.once('connect', (greeting: Greeting) => resolve(greeting));
    connection.connect((error) => {
      if (error !== null) reject(error);
    });
  });
}

/**
 * Asks the server to give up on statements after `limitMs`, so a slow query does not run on after the
 * check has left (MariaDB `max_statement_time`; MySQL `max_execution_time`, which covers SELECTs).
 * Best effort: an old server without these variables is still checked, only without the limit.
 */
function limitStatementTime(
  connection: Connection,
  limitMs: number,
  mariadb: boolean,
): Promise<void> {
  const sql = mariadb
    ? `SET SESSION max_statement_time = ${limitMs / 1000}`
    : `SET SESSION max_execution_time = ${limitMs}`;
  return new Promise((resolve, reject) => {
    connection.query(sql, (error) => {
      if (error === null || !error.fatal) resolve();
      else reject(error);
    });
  });
}

/** Runs `sql` keeping only the first value of the first row (the rest is read and dropped). */
function firstValue(connection: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let first: unknown = NO_ROWS;
    const query = connection.query({ sql, rowsAsArray: true });
    query.on('result', (row: unknown) => {
      // Statements without rows (UPDATE, SET) report a header object here, not a row.
      if (first === NO_ROWS && Array.isArray(row)) first = row[0];
    });
    query.on('error', reject);
    query.on('end', () => resolve(first));
  });
}

/** Sends COM_QUIT and resolves when the server has closed the connection. */
function goodbye(connection: Connection, socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) resolve();
    else socket.once('close', () => resolve());
    connection.end();
  });
}

function classify(error: unknown): ErrorClass | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, sqlMessage } = error as Partial<QueryError> & { sqlMessage?: unknown };
  if (typeof sqlMessage === 'string') return { kind: 'server', message: sqlMessage };
  if (code === 'PROTOCOL_CONNECTION_LOST') return { kind: 'lost' };
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') return { kind: 'no-ssl' };
  // mysql2 replaces the TLS error's own code with this one; its message is still Node's.
  if (code === 'HANDSHAKE_SSL_ERROR') return { kind: 'tls', message: error.message };
  return undefined;
}
