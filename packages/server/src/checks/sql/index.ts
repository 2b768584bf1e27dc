// What the SQL check kinds (postgres, mysql) share: one config shape, one run (connect, query, judge the
// first value, close), one way of wording failures. Not a kind itself: each kind brings a driver.
export type {
  ErrorClass,
  OpenOptions,
  ServerFacts,
  SqlConnection,
  SqlDriver,
  SqlTls,
  Stage,
} from './driver.js';
export { NO_ROWS } from './expectation.js';
export { sqlCheckSchema, sslModes } from './options.js';
export type { SqlCheckConfig, SqlEndpoint, SqlSchemaOptions, SslMode } from './options.js';
export { planSqlCheck, runSqlCheck } from './run.js';
export type { SqlCheckPlan } from './run.js';
export type { FirstBytesVerdict } from './wire-guard.js';
