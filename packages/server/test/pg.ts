// A private PostgreSQL database for one test file on the shared server, dropped afterwards; one schema per store.
import pg from 'pg';

export const PG_ADMIN_URL = process.env.VIGIL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly name: string;
  /** A URL whose connections use a fresh schema of this database. */
  schemaUrl(): Promise<string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'vigil_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e9).toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const base = new URL(PG_ADMIN_URL);
  base.pathname = `/${name}`;
  let n = 0;
  return {
    name,
    async schemaUrl() {
      const schema = `s${++n}`;
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`create schema ${schema}`);
      await c.end();
      const url = new URL(base.toString());
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
