export type { Config, FlagsConfig, MonitorConfig, NotifierFlag, RetryConfig } from './config.js';
export { DEFAULT_GROUP, builtInDefaults } from './config.js';
export { ConfigError, formatIssue, isConfigError } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export { loadConfig } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { duration, formatDuration, parseDuration } from './duration.js';
export type {
  GroupConfig,
  MaintenanceWindow,
  RetentionConfig,
  ServerConfig,
  StorageConfig,
} from './schema.js';
export { cronProblem } from './cron.js';
export { notifierFlags } from './flag-checks.js';
export { flagKey, flagProviderNames } from './flags-schema.js';
export { watchConfigFile } from './watch.js';
export type { WatchConfigOptions, WatchFs } from './watch.js';
export { alertEventNames } from './alerting-schema.js';
export type { AlertEventName, AlertRuleConfig, NotifierConfig } from './alerting-schema.js';
export type { NotifierTypeSchema } from './load-alerting.js';
