export { alertKinds, severities } from './alert.js';
export type { AlertEvent, AlertKind, AlertMessage, AlertMonitor, Severity } from './alert.js';
export { defineNotifier } from './notifier.js';
export type { Notifier, SendContext, SendResult } from './notifier.js';
export { notifierTypes } from './notifiers/registry.js';
export type { NotifierType } from './notifiers/registry.js';
export { isAlertPayload } from './intent.js';
export type { AlertPayload } from './intent.js';
export { AlertRouter, createAlertRouter, ruleMatches, titleOf } from './router/index.js';
export type { AlertRouterOptions } from './router/index.js';
export {
  DeliveryWorker,
  createCircuitBreaker,
  createDeliveryWorker,
  createRateLimiter,
  sendMessage,
} from './delivery/index.js';
export type {
  BoundNotifier,
  CircuitBreaker,
  CircuitState,
  DeliveryWorkerOptions,
  MessageOutcome,
} from './delivery/index.js';
export { bindNotifiers } from './bind.js';
export { notifyTest } from './notify-test.js';
export type { NotifyTestOutcome } from './notify-test.js';
