export type { Task, TaskContext, TaskLike, TaskKind, Exit, ExitReason } from './task.js';
export { SHUTDOWN, exitReasons, isCleanExit, taskKinds } from './task.js';
export { spawn } from './spawn.js';
export { Standalone } from './standalone.js';
export type { TaskHandle, SpawnOptions } from './spawn.js';
export { restartTypes, needsRestart, normalizeChildSpec } from './child-spec.js';
export type { ChildSpec, RestartType, NormalizedChildSpec } from './child-spec.js';
export { RestartWindow, intensityOptions } from './intensity.js';
export { RootRunner } from './root.js';
export type { SupervisorEvents, ChildInfo, ChildStatus, ChildCounts } from './events.js';
export { childStatuses } from './events.js';
export { Supervisor, createSupervisor, strategies } from './supervisor.js';
export type { SupervisorOptions, Strategy } from './supervisor.js';
export { DynamicSupervisor, createDynamicSupervisor } from './dynamic-supervisor.js';
export type { DynamicChildSpec, DynamicSupervisorOptions } from './dynamic-supervisor.js';
export { Server, createServer } from './server.js';
export { continueWith } from './server-types.js';
export type {
  ServerBehavior,
  ServerContext,
  ServerOptions,
  ServerExit,
  CallResult,
  CallOptions,
  ContinueWith,
} from './server-types.js';
