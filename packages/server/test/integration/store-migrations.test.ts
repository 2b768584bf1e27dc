// Schema migrations: concurrent starts on one PostgreSQL, a database newer than the code, and copying
// a store into the other back end (migrateStore) — resumable, safe to re-run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FakeClock } from '@vigil/resilience/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  migrateStore,
  schemaVersion,
  type MigrateProgress,
  type Store,
} from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../pg.js';
import { DAY, MINUTE, changed, checked } from '../store-events.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-migrate-'));
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('vigil_migrate');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

const opts = () => ({ clock: new FakeClock(), pruneIntervalMs: null });

describe('migrations', () => {
  it('four processes starting at once on one PostgreSQL: one migrates, the others wait and find it done', async () => {
    const url = await database.schemaUrl();
    const stores = await Promise.all(
      [1, 2, 3, 4].map(() => createStore({ type: 'postgres', url }, opts())),
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>(
      'select version from vigil_schema order by version',
    );
    await client.end();
    expect(rows.map((r) => r.version)).toEqual(
      Array.from({ length: schemaVersion }, (_, i) => i + 1),
    );
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses a database migrated by a newer Vigil, naming both versions, and changes nothing', async () => {
    const path = join(dir, 'newer.db');
    await (await createStore({ type: 'sqlite', path }, opts())).close();
    const raw = new BetterSqlite3(path);
    raw
      .prepare('insert into vigil_schema (version, name, applied_at) values (?, ?, ?)')
      .run(schemaVersion + 1, 'future', 0);
    raw.close();
    await expect(createStore({ type: 'sqlite', path }, opts())).rejects.toMatchObject({
      code: 'STORE_TOO_NEW',
      message: (expect.stringContaining as (p: string) => unknown)(
        `schema version ${schemaVersion + 1}, but this Vigil knows versions up to ${schemaVersion}`,
      ),
    });
    const url = await database.schemaUrl();
    await (await createStore({ type: 'postgres', url }, opts())).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('insert into vigil_schema (version, name, applied_at) values ($1, $2, 0)', [
      schemaVersion + 1,
      'future',
    ]);
    await client.end();
    await expect(createStore({ type: 'postgres', url }, opts())).rejects.toMatchObject({
      code: 'STORE_TOO_NEW',
    });
  });
});

async function fill(store: Store, t0: number): Promise<void> {
  await store.syncMonitors([
    { id: 'api', name: 'API', group: 'core', kind: 'http', intervalMs: MINUTE },
    { id: 'db', name: 'DB', group: 'core', kind: 'postgres', intervalMs: MINUTE },
  ]);
  for (let i = 0; i < 500; i++) {
    store.onChecked(
      checked('api', t0 + i * MINUTE, {
        latencyMs: 1 + (i % 9),
        phases: { connect: 0.5 },
        message: `m${i % 3}`,
      }),
    );
    store.onChecked(checked('db', t0 + i * MINUTE, { outcome: i % 7 === 0 ? 'fail' : 'ok' }));
  }
  await store.recordChange(changed('api', 'up', 'down', t0 + 10 * MINUTE), [
    { notifierId: 'slack', eventKind: 'trigger', payload: { a: 1 }, dedupKey: 'vigil/api' },
  ]);
  await store.auth.createUser({ username: 'admin', passwordHash: 'scrypt$x', createdAt: t0 });
  await store.auth.createToken({
    id: 'tok',
    name: 'ci',
    hash: 'sha256-of-secret',
    scope: 'read',
    createdAt: t0,
  });
  await store.flush();
}

async function snapshot(store: Store) {
  const t0 = new FakeClock().now();
  return {
    latest: await store.latest({ includeRemoved: true }),
    history: await store.history('api', { from: t0, to: t0 + 3 * 3_600_000 }, { tier: 'raw' }),
    hours: await store.history('db', { from: t0, to: t0 + DAY }, { tier: 'hour' }),
    uptime: await store.uptime('api', [{ from: t0, to: t0 + DAY }]),
    incidents: await store.incidents({ statuses: ['up', 'down'] }),
    outbox: await store.outbox.list(),
    states: await store.loadStates(),
    user: await store.auth.getUser('admin'),
    tokens: await store.auth.listTokens(),
  };
}

describe('migrateStore', () => {
  it('copies SQLite into PostgreSQL and back, with progress, resumably and safely re-run', async () => {
    const clock = new FakeClock();
    const sqlite = await createStore(
      { type: 'sqlite', path: join(dir, 'from.db') },
      { clock, pruneIntervalMs: null },
    );
    await fill(sqlite, clock.now());
    const postgres = await createStore(
      { type: 'postgres', url: await database.schemaUrl() },
      { clock, pruneIntervalMs: null },
    );
    // Interrupted after the first batches…
    const controller = new AbortController();
    let calls = 0;
    await expect(
      migrateStore(sqlite, postgres, {
        batchSize: 100,
        signal: controller.signal,
        onProgress: () => {
          if (++calls === 3) controller.abort(new Error('interrupted'));
        },
      }),
    ).rejects.toThrow('interrupted');
    // …resumed to the end.
    const progress: MigrateProgress[] = [];
    const report = await migrateStore(sqlite, postgres, {
      batchSize: 100,
      onProgress: (p) => progress.push(p),
    });
    expect(report.resumed).toBe(true);
    expect(progress.at(-1)?.overall.copied).toBe(progress.at(-1)?.overall.total);
    expect(await snapshot(postgres)).toEqual(await snapshot(sqlite));
    // Re-running a finished copy changes nothing.
    expect((await migrateStore(sqlite, postgres)).resumed).toBe(false);
    expect(await snapshot(postgres)).toEqual(await snapshot(sqlite));
    // New rows get fresh ids after the copied ones.
    const { incidentId } = await postgres.recordChange(
      changed('db', 'up', 'down', clock.now() + DAY),
    );
    expect(incidentId).toBeGreaterThan(
      Math.max(...(await sqlite.incidents({ statuses: ['up', 'down'] })).items.map((i) => i.id)),
    );
    // And back into a fresh SQLite file.
    const back = await createStore(
      { type: 'sqlite', path: join(dir, 'back.db') },
      { clock, pruneIntervalMs: null },
    );
    await migrateStore(postgres, back);
    expect(await snapshot(back)).toEqual(await snapshot(postgres));
    // A target with data of its own is refused.
    await expect(migrateStore(sqlite, back)).rejects.toThrow(/holds a copy of/);
    await expect(migrateStore(back, sqlite)).rejects.toThrow(/already has data/);
    await Promise.all([sqlite.close(), postgres.close(), back.close()]);
  });
});
