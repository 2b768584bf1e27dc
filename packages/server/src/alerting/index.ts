export { alertKinds, severities } from './alert.js';
export type { AlertEvent, AlertKind, AlertMessage, AlertMonitor, Severity } from './alert.js';
export { defineNotifier } from './notifier.js';
export type { Notifier, SendContext, SendResult } from './notifier.js';
export { notifierTypes } from './notifiers/registry.js';
export type { NotifierType } from './notifiers/registry.js';
