import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { systemClock } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY, checked } from '../../../test/store-events.js';
import { storeAuthHarness } from '../../../test/store-auth-harness.js';
import { authStoreContract } from '../../api/auth/auth-store.contract.js';
import { resolveRetention } from '../model/retention.js';
import { storeContract } from '../store.contract.js';
import { migrate } from '../sql/migrate.js';
import { migrations } from '../sql/migrations.js';
import { openSqliteDialect, openSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite', {
  create: () => Promise.resolve(join(dir, `db${++n}`, 'vigil.db')),
  open: (path, o) =>
    openSqliteStore({
      path,
      clock: o.clock,
      retention: resolveRetention(o.retention),
      ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
      ...(o.bufferSize === undefined ? {} : { bufferSize: o.bufferSize }),
      pruneIntervalMs: o.pruneIntervalMs ?? null,
    }),
});

authStoreContract('sqlite', {
  open() {
    const path = join(dir, `auth${++n}`, 'vigil.db');
    return storeAuthHarness((clock) =>
      openSqliteStore({ path, clock, retention: resolveRetention({}), pruneIntervalMs: null }),
    );
  },
});

describe('SQLite store', () => {
  it('yields the event loop during a large flush, which stays one transaction', async () => {
    // The system clock: the store yields once a write has held the loop for a few real milliseconds.
    const clock = systemClock;
    const path = join(dir, 'breathe', 'vigil.db');
    const store = await openSqliteStore({
      path,
      clock,
      retention: resolveRetention({}),
      pruneIntervalMs: null,
      batchSize: 20_000,
      bufferSize: 20_000,
    });
    const reader = new BetterSqlite3(path, { readonly: true });
    const count = (): number =>
      (reader.prepare('select count(*) as n from results').get() as { n: number }).n;
    const t0 = clock.now();
    for (let i = 0; i < 20_000; i++)
      store.onChecked(checked(`m${i % 10000}`, t0 + i * 1000, { message: `message ${i % 7}` }));
    // What another connection sees each time the loop turns while the flush runs.
    const seen: number[] = [];
    let done = false;
    const tick = (): void => {
      if (done) return;
      seen.push(count());
      setImmediate(tick);
    };
    setImmediate(tick);
    await store.flush();
    done = true;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((n) => n === 0)).toBe(true);
    expect(count()).toBe(20_000);
    reader.close();
    await store.close();
  });

  it('hands the space retention frees back to the file system (incremental vacuum)', async () => {
    const clock = new FakeClock();
    const path = join(dir, 'vacuum', 'vigil.db');
    const open = () =>
      openSqliteStore({
        path,
        clock,
        retention: resolveRetention({ raw: DAY }),
        pruneIntervalMs: null,
      });
    const store = await open();
    const t0 = clock.now();
    for (let i = 0; i < 20_000; i++)
      store.onChecked(checked(`m${i % 20}`, t0 + i * 1000, { message: `message ${i % 7}` }));
    await store.flush();
    await store.close();
    const full = statSync(path).size;
    clock.jumpWall(30 * DAY);
    const again = await open();
    const report = await again.prune();
    expect(report.raw).toBe(20_000);
    expect(report.reclaimedBytes).toBeGreaterThan(full / 2);
    await again.close();
    expect(statSync(path).size).toBeLessThan(full / 2);
  });

  it('migration 3 fills the 15-minute board tier from the minute rollups already stored', async () => {
    const clock = new FakeClock();
    const path = join(dir, 'quarter', 'vigil.db');
    const old = openSqliteDialect(path);
    await migrate(old, clock.now(), migrations.slice(0, 2));
    const t0 = clock.now() - (clock.now() % 900_000);
    await old.db
      .insertInto('monitors')
      .values({
        key: 'a',
        name: 'a',
        group_id: 'g',
        kind: 'tcp',
        interval_ms: 60_000,
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    for (let m = 0; m < 20; m++)
      await old.db
        .insertInto('rollup_minute')
        .values({
          monitor_id: 1,
          start: t0 + m * 60_000,
          n_ok: 1,
          n_fail: m % 2,
          n_degraded: 0,
          n_pending: 0,
          lat_sum: 1000,
          lat_min: 1000,
          lat_max: 1000,
        })
        .execute();
    await old.destroy();
    const store = await openSqliteStore({
      path,
      clock,
      retention: resolveRetention({}),
      pruneIntervalMs: null,
    });
    const rows = await store.transfer.read('rollup_quarter', null, 10);
    expect(rows.rows).toEqual([
      {
        monitor_id: 1,
        start: t0,
        n_ok: 15,
        n_fail: 7,
        n_degraded: 0,
        n_pending: 0,
        lat_sum: 15_000,
      },
      {
        monitor_id: 1,
        start: t0 + 900_000,
        n_ok: 5,
        n_fail: 3,
        n_degraded: 0,
        n_pending: 0,
        lat_sum: 5000,
      },
    ]);
    await store.close();
  });
});
