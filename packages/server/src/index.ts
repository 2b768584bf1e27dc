/**
 * vigil — the monitoring server: config, check kinds, engine and CLI.
 * @packageDocumentation
 */
export * from './checks/index.js';
export * from './config/index.js';
export * from './engine/index.js';
