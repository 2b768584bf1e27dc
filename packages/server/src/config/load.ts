import type { CheckKind } from '../checks/check-kind.js';
import { builtInDefaults, DEFAULT_GROUP, type Config, type MonitorConfig } from './config.js';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.js';
import { formatDuration } from './duration.js';
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
  if (!parsed.success) {
    throw new ConfigError(
      fromZodIssues(parsed.error.issues, source, schemaKeys(schema)),
      options.file,
    );
  }
  const issues: ConfigIssue[] = [];
  const config = resolve(parsed.data, source, options, issues);
  if (issues.length > 0) throw new ConfigError(issues, options.file);
  return deepFreeze(config);
}

function resolve(
  raw: RawConfig,
  source: YamlSource,
  options: LoadConfigOptions,
  issues: ConfigIssue[],
): Config {
  const problem = (path: PropertyKey[], message: string): void => {
    issues.push({ path: formatPath(path), message, file: source.file, ...source.locate(path) });
  };
  const kindNames = Object.keys(options.kinds);
  const seen = new Map<string, number>();
  const monitors: MonitorConfig[] = [];
  raw.monitors.forEach((m, i) => {
    const first = seen.get(m.id);
    if (first !== undefined)
      problem(
        ['monitors', i, 'id'],
        `duplicate monitor id "${m.id}" (first at monitors[${first}])`,
      );
    else seen.set(m.id, i);
    const present = kindNames.filter((k) => (m as Record<string, unknown>)[k] !== undefined);
    if (present.length !== 1) {
      problem(
        ['monitors', i],
        present.length === 0
          ? `monitor "${m.id}" has no check; add one of: ${kindNames.join(', ')}`
          : `monitor "${m.id}" has ${present.length} checks (${present.join(', ')}); a monitor has exactly one`,
      );
      return;
    }
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
  checkDependencies(raw.monitors, seen, problem);
  const groupIds = new Set<string>();
  raw.groups.forEach((g, i) => {
    if (groupIds.has(g.id)) problem(['groups', i, 'id'], `duplicate group id "${g.id}"`);
    groupIds.add(g.id);
  });
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
    notifiers: raw.notifiers,
    alerts: raw.alerts,
    flags: raw.flags,
    envPaths: source.envPaths,
  };
}

function resolveMonitor(m: RawMonitor, kind: string, raw: RawConfig): MonitorConfig {
  const d = raw.defaults;
  const intervalMs = m.interval ?? d.interval ?? builtInDefaults.intervalMs;
  const retry = { ...d.retry, ...m.retry };
  const monitor: MonitorConfig = {
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
  return {
    ...monitor,
    ...(m.description === undefined ? {} : { description: m.description }),
    ...(m.flag === undefined ? {} : { flag: m.flag }),
  };
}

function checkDependencies(
  monitors: readonly RawMonitor[],
  index: ReadonlyMap<string, number>,
  problem: (path: PropertyKey[], message: string) => void,
): void {
  monitors.forEach((m, i) => {
    m.dependsOn.forEach((parent, j) => {
      if (parent === m.id)
        problem(['monitors', i, 'dependsOn', j], `monitor "${m.id}" cannot depend on itself`);
      else if (!index.has(parent))
        problem(['monitors', i, 'dependsOn', j], `unknown monitor "${parent}"`);
    });
  });
  // Cycles: depth-first search over the dependsOn graph.
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(monitors.map((m) => [m.id, m]));
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      const at = index.get(id) ?? 0;
      problem(['monitors', at, 'dependsOn'], `dependency cycle: ${cycle.join(' → ')}`);
      return;
    }
    state.set(id, 'visiting');
    for (const parent of byId.get(id)?.dependsOn ?? [])
      if (byId.has(parent) && parent !== id) visit(parent, [...trail, id]);
    state.set(id, 'done');
  };
  for (const m of monitors) visit(m.id, []);
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
