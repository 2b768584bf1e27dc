import { defineCheckKind } from '../check-kind.js';
import { planSqlCheck, runSqlCheck, sqlCheckSchema } from '../sql/index.js';
import { pgDriver } from './pg-driver.js';

const DEFAULT_PORT = 5432;

const schema = sqlCheckSchema({ schemes: ['postgres', 'postgresql'], defaultPort: DEFAULT_PORT });

/**
 * `postgres`: opens a fresh connection (optionally TLS), runs a query (default `SELECT 1`) and
 * optionally judges the first value it returns (`expect`, or `min`/`max`); reports connect and query
 * times and the server version.
 */
export const postgres = defineCheckKind({
  name: 'postgres',
  description: 'connect to PostgreSQL, run a query and optionally check the value it returns',
  schema,
  create(config, deps) {
    const plan = planSqlCheck(pgDriver, config, deps, DEFAULT_PORT);
    return { run: (ctx) => runSqlCheck(plan, ctx) };
  },
});
