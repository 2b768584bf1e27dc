import type { NotifierConfig } from './alerting-schema.js';
import type { NotifierFlag } from './config.js';
import type { Problem } from './cross-checks.js';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The `flag:` keys of a config's notifiers: which notifier each flag governs. */
export function notifierFlags(notifiers: readonly NotifierConfig[]): NotifierFlag[] {
  return notifiers.flatMap(({ id, flag }) => (flag === undefined ? [] : [{ id, flag }]));
}

/**
 * Checks, on the raw parsed YAML, that a config whose monitors, groups or notifiers name flags has a
 * `flags:` section saying where they come from (each `flag:` key itself is checked by its schema).
 */
export function flagChecks(raw: unknown, problem: Problem): void {
  const root = record(raw) ?? {};
  if (root.flags !== undefined && root.flags !== null) return;
  for (const section of ['groups', 'monitors', 'notifiers'] as const) {
    const list = Array.isArray(root[section]) ? (root[section] as unknown[]) : [];
    list.forEach((item, i) => {
      if (typeof record(item)?.flag === 'string') {
        problem(
          [section, i, 'flag'],
          'flags need a provider: add a `flags:` section, e.g. `flags: { path: ./flags.yaml }` (see docs/flags.md)',
        );
      }
    });
  }
}
