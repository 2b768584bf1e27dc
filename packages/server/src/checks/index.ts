export type {
  Check,
  CheckContext,
  CheckDeps,
  CheckKind,
  CheckResult,
  Heartbeat,
  HeartbeatSource,
  Outcome,
  Phase,
} from './check-kind.js';
export { defineCheckKind, outcomes, phases } from './check-kind.js';
export { checkKinds } from './registry.js';
export type { CheckKindName } from './registry.js';
export {
  createHeartbeatRegistry,
  derivePushToken,
  HeartbeatRegistry,
  pushMonitors,
} from './push/index.js';
export type {
  HeartbeatEvent,
  HeartbeatInput,
  HeartbeatRegistryOptions,
  PushMonitor,
  RecordResult,
} from './push/index.js';
export { RecipeError } from './recipe/index.js';
export type { RecipePhase, RecipeRef } from './recipe/index.js';
