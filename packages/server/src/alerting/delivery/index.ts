export { DeliveryWorker, createDeliveryWorker } from './worker.js';
export type { BoundNotifier, DeliveryWorkerOptions } from './worker.js';
export { createCircuitBreaker } from './circuit-breaker.js';
export type { CircuitBreaker, CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';
export { createRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
export { sendMessage } from './send-message.js';
export type { MessageOutcome } from './send-message.js';
