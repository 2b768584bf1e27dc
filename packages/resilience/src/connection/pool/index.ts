export { Pool, createPool } from './pool.js';
export type { AcquireOptions, PoolStats, PoolEvents } from './pool.js';
export { isConnectionError } from './options.js';
export type { PoolOptions } from './options.js';
