export type { SqlDialect, DdlTypes } from './dialect.js';
export type { Database } from './schema.js';
export { migrate, schemaVersion } from './migrate.js';
export type { MigrateReport } from './migrate.js';
export { migrations, latestVersion } from './migrations.js';
export type { Migration } from './migrations.js';
export { SqlStore } from './sql-store.js';
export type { SqlStoreOptions } from './sql-store.js';
