import type { z } from 'zod';
import { formatPath, type ConfigIssue } from './config-error.js';
import type { YamlSource } from './yaml-source.js';

/** Turns zod issues into config issues with plain messages and file positions. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  vocabulary: readonly string[],
): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const at = source.locate(path, key);
        const hint = closest(key, vocabulary);
        return {
          path: formatPath([...path, key]),
          message: `unknown key "${key}"${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
          file: source.file,
          ...at,
        };
      });
    }
    const at = source.locate(path);
    return [
      {
        path: formatPath(path),
        message: describe(issue, valueAt(source.value, path)),
        file: source.file,
        ...at,
      },
    ];
  });
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const shown = value === undefined ? undefined : JSON.stringify(value);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? `is required (${issue.expected})`
        : `expected ${article(issue.expected)}, got ${shown}`;
    case 'invalid_value':
      return `${shown} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format': {
      // A pattern's own message says what is allowed (ids, flag keys); "not a valid regex" would not.
      if (issue.format === 'regex') return `${shown}: ${issue.message}`;
      const what =
        issue.format === 'url'
          ? 'a URL'
          : issue.format === 'datetime'
            ? 'an ISO 8601 date-time with offset (2026-01-31T02:00:00Z)'
            : `a valid ${issue.format}`;
      return `${shown} is not ${what}`;
    }
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `is too short (at least ${String(issue.minimum)} ${issue.origin === 'array' ? 'items' : 'characters'})`
        : `${shown} is too small; must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `is too long (at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'items' : 'characters'})`
        : `${shown} is too big; must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'discriminator' in issue && issue.discriminator !== undefined
        ? `has no valid "${issue.discriminator}"; got ${JSON.stringify(valueAt(value, [issue.discriminator]))}`
        : `${shown ?? 'value'} does not match any allowed form`;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Every object key a schema knows, at any depth: the vocabulary typo hints are drawn from. */
export function schemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (def === undefined) return;
    const shape = def.shape as Record<string, unknown> | undefined;
    if (shape !== undefined) {
      for (const [key, child] of Object.entries(shape)) {
        keys.add(key);
        walk(child);
      }
    }
    for (const field of ['innerType', 'element', 'in', 'out', 'left', 'right', 'schema'])
      walk(def[field]);
    for (const option of (def.options as unknown[] | undefined) ?? []) walk(option);
  };
  walk(schema);
  return [...keys];
}

/** The known key within edit distance 2 of `key`, if any. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  // A hint only for near misses: one edit per three characters (at least one).
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
