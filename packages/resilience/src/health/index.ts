export { HealthChecker, createHealthChecker } from './health-checker.js';
export { afterFailureModes, healthCallbackNames, healthStatuses } from './health-types.js';
export type {
  AfterFailure,
  HealthCallback,
  HealthCallbackName,
  HealthCheckerBaseOptions,
  HealthCheckerOptions,
  HealthEvents,
  HealthSnapshot,
  HealthStatus,
  PingOptions,
  ProbeContext,
  ProbeHealthOptions,
  TcpHealthOptions,
} from './health-types.js';
export { failover, failoverControl } from './failover.js';
export { failoverRoutes, failoverStates } from './failover-types.js';
export type {
  AsyncInterface,
  FailoverControl,
  FailoverEvents,
  FailoverOptions,
  FailoverRoute,
  FailoverState,
  HealthSource,
  ReconcileContext,
} from './failover-types.js';
