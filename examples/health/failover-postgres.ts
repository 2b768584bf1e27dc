// "If the database goes down, I want my application to try and reconnect. After 10 unsuccessful attempts,
// I want to switch to a replacement service." An app appends to a journal in PostgreSQL through a failover
// switch; when the database stops, a health checker retries it 10 times, then the app goes on writing to
// an in-memory journal; when the database is back, what the memory received is copied into it and the
// app switches back. No write is lost or written twice.
import pg from 'pg';
import {
  constant,
  createHealthChecker,
  createSupervisor,
  failover,
  failoverControl,
  retry,
} from '@vigil/resilience';
import { startPostgres } from './private-postgres.js';

interface Entry {
  readonly id: string;
  readonly body: string;
}

/** The service the app depends on; both journals implement it. */
interface Journal {
  append(entry: Entry): Promise<void>;
}

class PostgresJournal implements Journal {
  constructor(readonly pool: pg.Pool) {}

  async append(entry: Entry): Promise<void> {
    // The id makes a write idempotent: a retry, or a reconcile after a write whose reply was lost, is a no-op.
    await this.pool.query(
      'INSERT INTO journal (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [entry.id, entry.body],
    );
  }
}

class MemoryJournal implements Journal {
  readonly entries = new Map<string, Entry>();

  append(entry: Entry): Promise<void> {
    this.entries.set(entry.id, entry);
    return Promise.resolve();
  }
}

export async function main(): Promise<{
  written: number;
  inDatabase: number;
  duringOutage: number;
  timeline: string[];
}> {
  const db = await startPostgres(); // a throwaway cluster on a free port
  const pool = new pg.Pool({ host: '127.0.0.1', port: db.port, user: 'postgres', max: 4 });
  pool.on('error', () => undefined); // idle clients die with the server; the pool makes new ones
  const timeline: string[] = [];
  const mark = (what: string): void => void timeline.push(what);

  const postgres = new PostgresJournal(pool);
  const memory = new MemoryJournal();
  const health = createHealthChecker({
    id: 'postgres',
    name: `postgres 127.0.0.1:${db.port}`,
    // A logged-in connection of its own, held open: its end is the database going away. (A bare
    // `port` check works too, but PostgreSQL closes connections that never log in after
    // authentication_timeout, 60 s: the checker would see a drop and a reconnect every minute.)
    session: async () => {
      const client = new pg.Client({ host: '127.0.0.1', port: db.port, user: 'postgres' });
      const closed = new Promise((resolve, reject) => {
        client.on('error', reject).on('end', () => resolve(undefined));
      });
      closed.catch(() => undefined); // it is watched once the session is up
      await client.connect();
      return { closed, close: () => client.end() };
    },
    retry: constant(50), // every 50 ms here; the default is every second
    maxRetries: 10,
    afterFailure: 'keep-trying', // keep watching, so the switch can go back
    onDisconnect: () => mark('disconnected'),
    onFailure: (s) => mark(`failed after ${s.retries} retries`),
    onConnect: () => mark('connected'),
  });
  const journal = failover<Journal>({
    primary: postgres,
    replacement: memory,
    health,
    reconcileRetry: constant(100), // if copying fails, try again (it is idempotent) while the database is up
    reconcile: async () => {
      for (const entry of memory.entries.values()) await postgres.append(entry);
      mark(`reconciled ${memory.entries.size} entries`);
      memory.entries.clear();
    },
  });
  const control = failoverControl(journal);
  control.on('switched', (e) => mark(`switched to the ${e.to}`));
  const app = createSupervisor({ id: 'app', children: [{ id: 'postgres-health', task: health }] });

  let written = 0;
  let writing = true;
  // The app writes every 5 ms. A write that fails while the database is down but not yet given up on is
  // retried — after the switch, the retry lands on the replacement.
  const writeForever = async (): Promise<void> => {
    while (writing) {
      const entry = { id: `entry-${written + 1}`, body: `event ${written + 1}` };
      await retry(() => journal.append(entry), { policy: constant(20).withMaxRetries(100) });
      written++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  let writer: Promise<void> = Promise.resolve();
  const switchedTo = (route: 'primary' | 'replacement') =>
    new Promise<void>((resolve) => {
      const off = control.on('switched', (e) => {
        if (e.to !== route) return;
        off();
        resolve();
      });
    });

  try {
    await pool.query('CREATE TABLE journal (id text PRIMARY KEY, body text NOT NULL)');
    await app.start();
    writer = writeForever();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const toReplacement = switchedTo('replacement');
    await db.stop();
    mark('database stopped');
    await toReplacement;
    await new Promise((resolve) => setTimeout(resolve, 100)); // the app keeps working on memory
    const duringOutage = memory.entries.size;
    const toPrimary = switchedTo('primary');
    await db.start();
    mark('database started');
    await toPrimary;
    await new Promise((resolve) => setTimeout(resolve, 100));
    writing = false;
    await writer;
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM journal');
    return { written, inDatabase: Number(rows[0]?.n), duringOutage, timeline };
  } finally {
    writing = false;
    await writer.catch(() => undefined);
    await app.stop();
    control.close();
    await pool.end();
    await db.dispose();
  }
}
