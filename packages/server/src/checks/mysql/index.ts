import { defineCheckKind } from '../check-kind.js';
import { planSqlCheck, runSqlCheck, sqlCheckSchema } from '../sql/index.js';
import { mysqlDriver } from './mysql-driver.js';

const DEFAULT_PORT = 3306;

const schema = sqlCheckSchema({ schemes: ['mysql', 'mariadb'], defaultPort: DEFAULT_PORT });

/**
 * `mysql` (MySQL and MariaDB): opens a fresh connection (optionally TLS), runs a query (default
 * `SELECT 1`) and optionally judges the first value it returns (`expect`, or `min`/`max`); reports
 * connect and query times and the server version.
 */
export const mysql = defineCheckKind({
  name: 'mysql',
  description: 'connect to MySQL or MariaDB, run a query and optionally check the value it returns',
  schema,
  create(config, deps) {
    const plan = planSqlCheck(mysqlDriver, config, deps, DEFAULT_PORT);
    return { run: (ctx) => runSqlCheck(plan, ctx) };
  },
});
