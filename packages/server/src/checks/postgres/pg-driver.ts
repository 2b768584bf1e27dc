import type { TLSSocket } from 'node:tls';
import pg from 'pg';
import {
  NO_ROWS,
  type ErrorClass,
  type FirstBytesVerdict,
  type OpenOptions,
  type SqlConnection,
  type SqlDriver,
} from '../sql/index.js';

/** The largest first message a PostgreSQL server sends (an error or an auth request), in bytes. */
const MAX_FIRST_MESSAGE = 16_384;

/** The PostgreSQL protocol through `pg`: one `Client` per connection, no pool. */
export const pgDriver: SqlDriver = {
  protocol: 'PostgreSQL',
  wire: (tls) => ({ firstBytes: (prefix) => firstBytes(prefix, tls) }),
  open: openPg,
  classify,
};

/**
 * A plain connection must open with an auth request (`R`), an error (`E`), a notice (`N`) or a
 * protocol-version negotiation (`v`), each with a small length; one that asked for TLS gets a lone `S`
 * or `N` (or an error from an old server).
 */
function firstBytes(prefix: Buffer, tls: boolean): FirstBytesVerdict {
  const type = String.fromCharCode(prefix[0] ?? 0);
  if (tls && (type === 'S' || type === 'N')) return prefix.length === 1 ? 'ok' : 'wrong';
  if (!(tls ? 'E' : 'REvN').includes(type)) return 'wrong';
  if (prefix.length < 5) return 'more';
  const length = prefix.readUInt32BE(1);
  return length >= 4 && length <= MAX_FIRST_MESSAGE ? 'ok' : 'wrong';
}

function openPg({ endpoint, tls, socket }: OpenOptions): SqlConnection {
  const client = new pg.Client({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    // A function keeps pg from falling back to PGPASSWORD or ~/.pgpass: the config is the only source.
    password: () => endpoint.password,
    database: endpoint.database ?? endpoint.user,
    ssl: tls === undefined ? false : { rejectUnauthorized: tls.verify, ...pick(tls.ca) },
    stream: () => socket,
    application_name: 'vigil',
  });
  let version: string | undefined;
  client.on('error', () => {}); // errors reach the pending connect or query; this keeps them off the process
  client.connection.on(
    'parameterStatus',
    (message: { parameterName: string; parameterValue: string }) => {
      if (message.parameterName === 'server_version') version = message.parameterValue;
    },
  );
  const destroy = (): void => {
    client.connection.stream.destroy();
    socket.destroy();
  };
  return {
    async connect() {
      await client.connect();
      const stream = client.connection.stream as Partial<TLSSocket>;
      const protocol = typeof stream.getProtocol === 'function' ? stream.getProtocol() : null;
      return {
        ...(version === undefined ? {} : { version }),
        ...(protocol === null ? {} : { tls: protocol }),
      };
    },
    firstValue: (sql, limitMs) => firstValue(client, sql, limitMs),
    end: () => client.end(),
    destroy,
  };
}

/**
 * Runs `sql` keeping only the first value of the first row (the rest is read and dropped). It goes in one
 * message after `SET LOCAL statement_timeout`: the server runs the two as one transaction, so the limit
 * holds for this query only — also through a transaction-pooling PgBouncer, which refuses a
 * `statement_timeout` startup parameter and would hand a session-wide SET on to other clients.
 */
function firstValue(client: pg.Client, sql: string, limitMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let first: unknown = NO_ROWS;
    const text = `SET LOCAL statement_timeout = ${limitMs};\n${sql}`;
    const config: pg.QueryArrayConfig = { text, rowMode: 'array' };
    const query = new pg.Query<unknown[]>(config);
    query.on('row', (row: unknown[]) => {
      if (first === NO_ROWS) first = row[0];
    });
    query.on('error', reject);
    query.on('end', () => resolve(first));
    client.query(query);
  });
}

const pick = (ca: string | undefined): { ca?: string } => (ca === undefined ? {} : { ca });

function classify(error: unknown): ErrorClass | undefined {
  if (error instanceof pg.DatabaseError && error.severity !== undefined)
    return { kind: 'server', message: error.message };
  if (!(error instanceof Error)) return undefined;
  if (error.message.startsWith('Connection terminated')) return { kind: 'lost' };
  if (error.message === 'The server does not support SSL connections') return { kind: 'no-ssl' };
  return undefined;
}
