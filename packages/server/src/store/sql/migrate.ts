/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql, type Kysely } from 'kysely';
import { StoreVersionError } from '../errors/index.js';
import type { SqlDialect } from './dialect.js';
import { migrations as allMigrations, type Migration } from './migrations.js';
import type { Database } from './schema.js';

/** What {@link migrate} did. */
export interface MigrateReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Brings the schema to the newest version, holding the schema lock so two processes starting at once
 * take turns (the second finds nothing to do). A database newer than this build is refused before
 * anything changes.
 */
export async function migrate(
  dialect: SqlDialect,
  now: number,
  migrations: readonly Migration[] = allMigrations,
): Promise<MigrateReport> {
  const latest = migrations.at(-1)?.version ?? 0;
  return dialect.withSchemaLock(async (db) => {
    await db.schema
      .createTable('vigil_schema')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const current = await schemaVersion(db);
    if (current > latest) throw new StoreVersionError(dialect.location, current, latest);
    const applied: string[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await m.up(db as Kysely<unknown>, dialect.ddl);
      await db
        .insertInto('vigil_schema')
        .values({ version: m.version, name: m.name, applied_at: now })
        .execute();
      applied.push(`${m.version}: ${m.name}`);
    }
    return { from: current, to: Math.max(current, latest), applied };
  });
}

/** The schema version recorded in the database (0 when none). */
export async function schemaVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('vigil_schema')
    .select(sql<number | null>`max(version)`.as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}
