export { Emitter } from './emitter.js';
export type { Listener, ListenerErrorHandler } from './emitter.js';
