/**
 * @vigil/resilience — clock, backoff, supervision trees and the rest of Vigil's resilience toolkit.
 * @packageDocumentation
 */
export * from './async/index.js';
export * from './clock/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './collections/index.js';
export * from './backoff/index.js';
export * from './supervision/index.js';
export * from './connection/index.js';
export * from './flags/index.js';
export * from './health/index.js';
