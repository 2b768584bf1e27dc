import type { Jitter } from '@vigil/resilience';
import type { AlertRuleConfig, NotifierConfig } from './alerting-schema.js';
import type { GroupConfig, MaintenanceWindow, ServerConfig, StorageConfig } from './schema.js';

/** How a failing monitor is re-checked: a backoff from `initialMs` up to `maxMs`. */
export interface RetryConfig {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: Jitter;
}

/** One monitor, validated, with defaults applied. Read-only: runtime state lives elsewhere. */
export interface MonitorConfig {
  /** Stable id from the config; storage and the API key on it. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly group: string;
  readonly tags: readonly string[];
  /** The check kind, e.g. `http`. */
  readonly kind: string;
  /** The kind's validated section. */
  readonly check: unknown;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures before the monitor is `down` (until then: `pending`). */
  readonly failureThreshold: number;
  /** Consecutive successes before a `down` monitor is `up` again. */
  readonly successThreshold: number;
  readonly retry: RetryConfig;
  /** Consecutive failures after which `onExhausted` applies; 0 = never. */
  readonly maxAttempts: number;
  /** `keep`: go on checking at the interval; `block`: stop checking until resumed or reconfigured. */
  readonly onExhausted: 'keep' | 'block';
  readonly dependsOn: readonly string[];
  readonly maintenance: readonly MaintenanceWindow[];
  /** The feature flag that governs it: while off, it is not checked (lifecycle `disabled`). */
  readonly flag?: string;
  /** Start paused. */
  readonly paused: boolean;
}

/** The `flags:` section, validated, with defaults applied. */
export interface FlagsConfig {
  /** `file`: the embedded file provider. */
  readonly provider: 'file';
  /** The flag file (YAML or JSON) as written; relative paths resolve against {@link Config.dir}. */
  readonly path: string;
  /** The value of a flag that cannot be evaluated. */
  readonly fallback: boolean;
  /** Every flag is evaluated again this often, besides the provider's change events. */
  readonly pollIntervalMs: number;
  /** An evaluation slower than this counts as unavailable. */
  readonly evaluationTimeoutMs: number;
}

/** A notifier's `flag:` key: while the flag is off the notifier sends nothing. */
export interface NotifierFlag {
  /** The notifier's id. */
  readonly id: string;
  readonly flag: string;
}

/** A validated config. Frozen: hot reload builds a new one. */
export interface Config {
  /** The file it came from, if any (for messages). */
  readonly file?: string;
  /** Directory relative paths in the config resolve against. */
  readonly dir: string;
  readonly monitors: readonly MonitorConfig[];
  /** Declared groups plus the ones monitors name without declaring. */
  readonly groups: readonly GroupConfig[];
  readonly storage: StorageConfig;
  readonly server: ServerConfig;
  /** Alert channels (`notifiers:`), validated by their type's schema. */
  readonly notifiers: readonly NotifierConfig[];
  /** Routing rules (`alerts:`). */
  readonly alerts: readonly AlertRuleConfig[];
  /** Where feature flags come from; absent when the config names no flags. */
  readonly flags?: FlagsConfig;
  /** Config paths whose values came from environment variables: secrets, never shown or logged. */
  readonly envPaths: ReadonlySet<string>;
}

export const DEFAULT_GROUP = 'default';

export const builtInDefaults = {
  intervalMs: 60_000,
  timeoutMs: 10_000,
  failureThreshold: 3,
  successThreshold: 1,
  retryInitialMs: 5_000,
  retryFactor: 2,
  retryJitter: 'equal' as Jitter,
  maxAttempts: 0,
  onExhausted: 'keep' as const,
};
