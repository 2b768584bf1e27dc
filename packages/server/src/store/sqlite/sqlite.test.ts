import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY, checked } from '../../../test/store-events.js';
import { storeAuthHarness } from '../../../test/store-auth-harness.js';
import { authStoreContract } from '../../api/auth/auth-store.contract.js';
import { resolveRetention } from '../model/retention.js';
import { storeContract } from '../store.contract.js';
import { openSqliteStore } from './index.js';

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
});
