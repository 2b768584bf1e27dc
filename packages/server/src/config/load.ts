import type { CheckKind } from '../checks/check-kind.js';
import { builtInDefaults, DEFAULT_GROUP, type Config, type MonitorConfig } from './config.js';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.js';
import { crossChecks, type Problem } from './cross-checks.js';
import { flagChecks } from './flag-checks.js';
import { formatDuration } from './duration.js';
import { checkRawNotifiers, resolveAlerting, type NotifierTypeSchema } from './load-alerting.js';
import { configSchema, type RawConfig, type RawMonitor } from './schema.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';
import { fromZodIssues, schemaKeys } from './zod-issues.js';

/** Inputs of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Named in messages, e.g. `vigil.yaml`. */
  readonly file: string;
  /** Directory relative paths resolve against. */
  readonly dir: string;
  /** Values for `${VAR}` substitution. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kinds: Readonly<Record<string, CheckKind>>;
  /** Notifier types by `type`, to validate `notifiers:` entries (none: every entry is an unknown type). */
  readonly notifierTypes?: Readonly<Record<string, NotifierTypeSchema>>;
}

/**
 * Parses and validates a YAML config. Throws a {@link ConfigError} listing every problem, each with its
 * path and file:line:column.
 */
export function loadConfig(text: string, options: LoadConfigOptions): Config {
  const source = parseYamlSource(text, options.file, options.env);
  if (source.issues.length > 0) throw new ConfigError(source.issues, options.file);
  const schema = configSchema(options.kinds);
  const parsed = schema.safeParse(source.value ?? {});
  const issues: ConfigIssue[] = parsed.success
    ? []
    : fromZodIssues(parsed.error.issues, source, schemaKeys(schema));
  const problem = (path: PropertyKey[], message: string): void => {
    issues.push({ path: formatPath(path), message, file: source.file, ...source.locate(path) });
  };
  const resolved = parsed.success
    ? resolve(parsed.data, options, problem, source, (more) => issues.push(...more))
    : undefined;
  if (!parsed.success)
    checkRawNotifiers(
      source.value,
      options.notifierTypes ?? {},
      source,
      (more) => issues.push(...more),
      problem,
    );
  crossChecks(source.value, Object.keys(options.kinds), problem);
  flagChecks(source.value, problem);
  if (issues.length > 0 || resolved === undefined) throw new ConfigError(issues, options.file);
  return deepFreeze({ ...resolved, envPaths: source.envPaths });
}

function resolve(
  raw: RawConfig,
  options: LoadConfigOptions,
  problem: Problem,
  source: YamlSource,
  report: (issues: ConfigIssue[]) => void,
): Config {
  const kindNames = Object.keys(options.kinds);
  const monitors: MonitorConfig[] = [];
  raw.monitors.forEach((m, i) => {
    const present = kindNames.filter((k) => (m as Record<string, unknown>)[k] !== undefined);
    if (present.length !== 1) return; // reported by crossChecks
    const monitor = resolveMonitor(m, present[0] ?? '', raw);
    if (monitor.timeoutMs > monitor.intervalMs) {
      problem(
        ['monitors', i, m.timeout === undefined ? 'interval' : 'timeout'],
        `timeout (${formatDuration(monitor.timeoutMs)}) must not exceed interval (${formatDuration(monitor.intervalMs)})`,
      );
    }
    if (monitor.retry.maxMs < monitor.retry.initialMs) {
      problem(
        ['monitors', i, 'retry'],
        `retry.max (${formatDuration(monitor.retry.maxMs)}) is below retry.initial (${formatDuration(monitor.retry.initialMs)})`,
      );
    }
    monitors.push(monitor);
  });
  const groupIds = new Set(raw.groups.map((g) => g.id));
  const groups = [...raw.groups];
  for (const m of monitors) {
    if (!groupIds.has(m.group)) {
      groupIds.add(m.group);
      groups.push({ id: m.group });
    }
  }
  return {
    file: options.file,
    dir: options.dir,
    monitors,
    groups,
    storage: raw.storage,
    server: raw.server,
    ...resolveAlerting(raw, options.notifierTypes ?? {}, monitors, source, report, problem),
    ...(raw.flags === undefined
      ? {}
      : {
          flags: {
            provider: raw.flags.provider,
            path: raw.flags.path,
            fallback: raw.flags.fallback,
            pollIntervalMs: raw.flags.pollInterval,
            evaluationTimeoutMs: raw.flags.evaluationTimeout,
          },
        }),
    envPaths: new Set(),
  };
}

function resolveMonitor(m: RawMonitor, kind: string, raw: RawConfig): MonitorConfig {
  const d = raw.defaults;
  const intervalMs = m.interval ?? d.interval ?? builtInDefaults.intervalMs;
  const retry = { ...d.retry, ...m.retry };
  // Built as one literal, then extended: a `{ ...monitor, … }` copy would get a hidden class of its own
  // in V8 (some 300 bytes for each of thousands of monitors).
  const monitor: { -readonly [K in keyof MonitorConfig]: MonitorConfig[K] } = {
    id: m.id,
    name: m.name ?? m.id,
    group: m.group ?? DEFAULT_GROUP,
    tags: m.tags,
    kind,
    check: (m as Record<string, unknown>)[kind],
    intervalMs,
    timeoutMs: m.timeout ?? d.timeout ?? Math.min(builtInDefaults.timeoutMs, intervalMs),
    failureThreshold: m.failureThreshold ?? d.failureThreshold ?? builtInDefaults.failureThreshold,
    successThreshold: m.successThreshold ?? d.successThreshold ?? builtInDefaults.successThreshold,
    retry: {
      initialMs: retry.initial ?? Math.min(builtInDefaults.retryInitialMs, intervalMs),
      maxMs: retry.max ?? intervalMs,
      factor: retry.factor ?? builtInDefaults.retryFactor,
      jitter: retry.jitter ?? builtInDefaults.retryJitter,
    },
    maxAttempts: m.maxAttempts ?? d.maxAttempts ?? builtInDefaults.maxAttempts,
    onExhausted: m.onExhausted ?? d.onExhausted ?? builtInDefaults.onExhausted,
    dependsOn: m.dependsOn,
    maintenance: m.maintenance,
    paused: m.paused,
  };
  if (m.description !== undefined) monitor.description = m.description;
  if (m.flag !== undefined) monitor.flag = m.flag;
  return monitor;
}

function deepFreeze<T>(value: T): T {
  if (
    value !== null &&
    typeof value === 'object' &&
    !Object.isFrozen(value) &&
    !(value instanceof Set)
  ) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
