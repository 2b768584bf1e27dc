export { Engine, createEngine } from './engine.js';
export type { EngineOptions, MonitorSnapshot } from './engine.js';
export type {
  Change,
  ChangeCause,
  ChangeEvent,
  CheckedEvent,
  Confirmed,
  CrashEvent,
  EngineEvents,
  LastResult,
  Lifecycle,
  LifecycleEvent,
  MonitorResult,
  MonitorState,
  Status,
} from './types.js';
export { changeCauses, lifecycles, statuses } from './types.js';
export { initialState } from './state-machine.js';
export { activeWindow, nextBoundary, windowName } from './maintenance.js';
export { checkOnce } from './check-once.js';
export { flagReason } from './flag-gate.js';
export type { MonitorFlags, OffFlag } from './flag-gate.js';
