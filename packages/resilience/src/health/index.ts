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
  HealthSession,
  HealthStatus,
  PingOptions,
  ProbeContext,
  ProbeHealthOptions,
  SessionContext,
  SessionHealthOptions,
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
export { ProviderPool, createProviderPool } from './provider-pool.js';
export { providerStates } from './provider-pool-types.js';
export type {
  AllowedValue,
  PollContext,
  PoolSnapshot,
  ProviderPoolEvents,
  ProviderPoolOptions,
  ProviderRef,
  ProviderSource,
  ProviderState,
  ProviderStatus,
} from './provider-pool-types.js';
