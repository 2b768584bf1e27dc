import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/pg.js';
import { storeAuthHarness } from '../../../test/store-auth-harness.js';
import { authStoreContract } from '../../api/auth/auth-store.contract.js';
import { resolveRetention } from '../model/retention.js';
import { storeContract } from '../store.contract.js';
import { openPostgresStore } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

storeContract('postgres', {
  create: () => database.schemaUrl(),
  open: (url, o) =>
    openPostgresStore({
      url,
      clock: o.clock,
      retention: resolveRetention(o.retention),
      poolSize: 2,
      ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
      ...(o.bufferSize === undefined ? {} : { bufferSize: o.bufferSize }),
      pruneIntervalMs: o.pruneIntervalMs ?? null,
    }),
});

authStoreContract('postgres', {
  async open() {
    const url = await database.schemaUrl();
    return storeAuthHarness((clock) =>
      openPostgresStore({
        url,
        clock,
        retention: resolveRetention({}),
        poolSize: 2,
        pruneIntervalMs: null,
      }),
    );
  },
});
