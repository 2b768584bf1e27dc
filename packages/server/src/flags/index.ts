export { FlagGates, createFlagGates } from './flag-gates.js';
export type { FlagGatesOptions, FlagView } from './flag-gates.js';
export { createFlagProvider, flagsSectionChanged, openFlags } from './open-flags.js';
export type { OpenFlags, OpenFlagsOptions } from './open-flags.js';
export { flagTargetKinds, flagTargets, gateId } from './targets.js';
export type { FlagTarget, FlagTargetKind } from './targets.js';
