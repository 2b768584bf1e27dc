import type { z } from 'zod';
import {
  alertEventNames,
  commonNotifierKeys,
  type AlertRuleConfig,
  type NotifierConfig,
  type RawAlertRule,
  type RawNotifierEntry,
} from './alerting-schema.js';
import type { ConfigIssue } from './config-error.js';
import type { MonitorConfig } from './config.js';
import type { Problem } from './cross-checks.js';
import type { YamlSource } from './yaml-source.js';
import { fromZodIssues, schemaKeys } from './zod-issues.js';

/** What config loading needs of a notifier type: the schema of its own keys. */
export interface NotifierTypeSchema {
  readonly schema: z.ZodType;
}

/** The validated `notifiers:` and `alerts:` sections. */
export interface AlertingConfig {
  readonly notifiers: readonly NotifierConfig[];
  readonly alerts: readonly AlertRuleConfig[];
}

/**
 * Resolves `notifiers:` (each entry's own keys validated by its type's schema) and `alerts:` (notifier
 * and monitor references checked). Problems are reported with their path and line.
 */
export function resolveAlerting(
  raw: {
    readonly notifiers: readonly RawNotifierEntry[];
    readonly alerts: readonly RawAlertRule[];
  },
  types: Readonly<Record<string, NotifierTypeSchema>>,
  monitors: readonly MonitorConfig[],
  source: YamlSource,
  report: (issues: ConfigIssue[]) => void,
  problem: Problem,
): AlertingConfig {
  const notifiers: NotifierConfig[] = [];
  const seen = new Map<string, number>();
  raw.notifiers.forEach((entry, i) => {
    const first = seen.get(entry.id);
    if (first !== undefined) {
      problem(
        ['notifiers', i, 'id'],
        `duplicate notifier id "${entry.id}" (first at notifiers[${first}])`,
      );
      return;
    }
    seen.set(entry.id, i);
    const settings = notifierSettings(entry, i, types, source, report, problem);
    if (settings === undefined) return;
    notifiers.push({
      id: entry.id,
      type: entry.type,
      ...(entry.flag === undefined ? {} : { flag: entry.flag }),
      timeoutMs: entry.timeout ?? 10_000,
      concurrency: entry.concurrency ?? 4,
      ...(entry.rateLimit === undefined
        ? {}
        : { rateLimit: { max: entry.rateLimit.max, perMs: entry.rateLimit.per } }),
      settings,
    });
  });
  return { notifiers, alerts: resolveRules(raw.alerts, seen, monitors, problem) };
}

/**
 * An entry's own settings, validated by the schema of its type; undefined (with the problems reported)
 * when the type is unknown or its settings are not valid.
 */
function notifierSettings(
  entry: { readonly type: string } & Record<string, unknown>,
  i: number,
  types: Readonly<Record<string, NotifierTypeSchema>>,
  source: YamlSource,
  report: (issues: ConfigIssue[]) => void,
  problem: Problem,
): unknown {
  const type = Object.hasOwn(types, entry.type) ? types[entry.type] : undefined;
  if (type === undefined) {
    const known = Object.keys(types);
    problem(
      ['notifiers', i, 'type'],
      `unknown notifier type "${entry.type}"; use one of: ${known.length === 0 ? '(none built in)' : known.join(', ')}`,
    );
    return undefined;
  }
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!commonNotifierKeys.includes(k)) own[k] = v;
  const parsed = type.schema.safeParse(own);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    ...issue,
    path: ['notifiers', i, ...issue.path],
  })) as z.core.$ZodIssue[];
  report(fromZodIssues(issues, source, [...schemaKeys(type.schema), ...commonNotifierKeys]));
  return undefined;
}

/**
 * When the rest of the config does not validate (so nothing is resolved), still checks each notifier
 * entry's type and own settings, so that `vigil validate` lists those problems in the same pass.
 */
export function checkRawNotifiers(
  raw: unknown,
  types: Readonly<Record<string, NotifierTypeSchema>>,
  source: YamlSource,
  report: (issues: ConfigIssue[]) => void,
  problem: Problem,
): void {
  const entries = (raw as { notifiers?: unknown } | null | undefined)?.notifiers;
  if (!Array.isArray(entries)) return;
  entries.forEach((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return; // the schema reports it
    const { type } = entry as { type?: unknown };
    if (typeof type !== 'string') return;
    notifierSettings(
      { ...(entry as Record<string, unknown>), type },
      i,
      types,
      source,
      report,
      problem,
    );
  });
}

function resolveRules(
  raw: readonly RawAlertRule[],
  notifierIds: ReadonlyMap<string, number>,
  monitors: readonly MonitorConfig[],
  problem: Problem,
): AlertRuleConfig[] {
  const monitorIds = new Set(monitors.map((m) => m.id));
  const groups = new Set(monitors.map((m) => m.group));
  const ruleNames = new Set<string>();
  return raw.map((r, i) => {
    if (ruleNames.has(r.name)) problem(['alerts', i, 'name'], `duplicate alert rule "${r.name}"`);
    ruleNames.add(r.name);
    r.notifiers.forEach((n, j) => {
      if (!notifierIds.has(n))
        problem(
          ['alerts', i, 'notifiers', j],
          `unknown notifier "${n}"; declare it under notifiers:`,
        );
    });
    r.match.monitors?.forEach((m, j) => {
      if (!monitorIds.has(m))
        problem(['alerts', i, 'match', 'monitors', j], `unknown monitor "${m}"`);
    });
    r.match.groups?.forEach((g, j) => {
      if (!groups.has(g))
        problem(['alerts', i, 'match', 'groups', j], `no monitor is in group "${g}"`);
    });
    return {
      name: r.name,
      match: r.match,
      notifiers: r.notifiers,
      events: r.events ?? alertEventNames,
      groupWaitMs: r.groupWait,
      ...(r.remindEvery === undefined ? {} : { remindEveryMs: r.remindEvery }),
      ...(r.flapping === undefined
        ? {}
        : { flapping: { transitions: r.flapping.transitions, windowMs: r.flapping.window } }),
      certificateDays: r.certificateDays,
    };
  });
}
