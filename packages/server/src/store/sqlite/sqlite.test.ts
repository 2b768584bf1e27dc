import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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
