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
