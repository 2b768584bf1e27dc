import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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
