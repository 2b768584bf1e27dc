import type { NotifierFlag } from './config.js';
import type { Problem } from './cross-checks.js';
import { flagKey } from './flags-schema.js';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * The entries of a `notifiers:` section with where they are: a list of entries with an `id`, or a map from
 * id to entry. Read generically: the alerting part validates the rest of each entry.
 */
function notifierEntries(
  notifiers: unknown,
): { path: PropertyKey[]; id: unknown; entry: Record<string, unknown> }[] {
  if (Array.isArray(notifiers)) {
    return notifiers.flatMap((value, i) => {
      const entry = record(value);
      return entry === undefined ? [] : [{ path: ['notifiers', i], id: entry.id, entry }];
    });
  }
  return Object.entries(record(notifiers) ?? {}).flatMap(([id, value]) => {
    const entry = record(value);
    return entry === undefined ? [] : [{ path: ['notifiers', id], id, entry }];
  });
}

/** The `flag:` keys of the notifiers of a (validated) config: which notifier each flag governs. */
export function notifierFlags(notifiers: unknown): NotifierFlag[] {
  return notifierEntries(notifiers).flatMap(({ id, entry }) =>
    typeof id === 'string' && typeof entry.flag === 'string' ? [{ id, flag: entry.flag }] : [],
  );
}

/**
 * Checks the `flag:` keys on the raw parsed YAML: a notifier's `flag` is a flag key on an entry with an id
 * (monitors and groups are checked by their schema), and a config that names flags has a `flags:` section
 * saying where they come from.
 */
export function flagChecks(raw: unknown, problem: Problem): void {
  const root = record(raw) ?? {};
  const named: PropertyKey[][] = [];
  for (const { path, id, entry } of notifierEntries(root.notifiers)) {
    if (entry.flag === undefined) continue;
    const parsed = flagKey.safeParse(entry.flag);
    if (!parsed.success) {
      problem(
        [...path, 'flag'],
        typeof entry.flag === 'string'
          ? `${JSON.stringify(entry.flag)}: ${parsed.error.issues[0]?.message ?? 'not a flag key'}`
          : `expected a flag key (a string), got ${JSON.stringify(entry.flag)}`,
      );
    } else if (typeof id !== 'string' || id === '') {
      problem(path, 'a notifier with a flag needs an id (the API lists it by id)');
    } else named.push([...path, 'flag']);
  }
  if (root.flags !== undefined && root.flags !== null) return;
  for (const section of ['groups', 'monitors'] as const) {
    const list = Array.isArray(root[section]) ? (root[section] as unknown[]) : [];
    list.forEach((item, i) => {
      if (typeof record(item)?.flag === 'string') named.push([section, i, 'flag']);
    });
  }
  for (const path of named) {
    problem(
      path,
      'flags need a provider: add a `flags:` section, e.g. `flags: { path: ./flags.yaml }` (see docs/flags.md)',
    );
  }
}
