import type { JsonValue } from '@openfeature/server-sdk';

/**
 * One flag of a flag file, resolved to the value it serves. `disabled` flags serve the caller's default
 * (OpenFeature reason `DISABLED`), as in flagd.
 */
export interface FileFlag {
  readonly value: JsonValue;
  readonly variant: string | undefined;
  readonly disabled: boolean;
}

/** The flags of a valid flag file, by key. */
export type FileFlags = ReadonlyMap<string, FileFlag>;

const TOP_KEYS = new Set(['flags', '$schema', 'metadata']);
const FLAG_KEYS = new Set(['state', 'variants', 'defaultVariant', 'metadata']);
const STATES = ['ENABLED', 'DISABLED'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

function definition(key: string, raw: unknown): FileFlag {
  const where = `flags.${key}`;
  if (typeof raw === 'boolean' || typeof raw === 'string' || typeof raw === 'number') {
    return { value: raw, variant: undefined, disabled: false };
  }
  if (!isRecord(raw)) {
    fail(
      where,
      'must be a boolean, string or number, or a definition with variants and defaultVariant',
    );
  }
  if ('targeting' in raw) {
    fail(where, 'targeting rules are not supported by the file provider; use flagd for targeting');
  }
  for (const field of Object.keys(raw)) {
    if (!FLAG_KEYS.has(field))
      fail(where, `unknown field "${field}" (allowed: ${[...FLAG_KEYS].join(', ')})`);
  }
  const state = raw.state ?? 'ENABLED';
  if (!(STATES as readonly unknown[]).includes(state)) {
    fail(`${where}.state`, `must be ENABLED or DISABLED, got ${JSON.stringify(state)}`);
  }
  const variants = raw.variants;
  if (!isRecord(variants) || Object.keys(variants).length === 0) {
    fail(`${where}.variants`, 'must map at least one variant name to its value');
  }
  const chosen = raw.defaultVariant;
  if (typeof chosen !== 'string' || !(chosen in variants)) {
    fail(
      `${where}.defaultVariant`,
      `must be one of the variants (${Object.keys(variants).join(', ')}), got ${JSON.stringify(chosen)}`,
    );
  }
  return { value: variants[chosen] as JsonValue, variant: chosen, disabled: state === 'DISABLED' };
}

/**
 * Reads the flags out of a parsed flag file. The format is a subset of flagd's flag definitions, plus a
 * shorthand for static values:
 *
 * ```yaml
 * flags:
 *   payments-monitor: true            # shorthand: always this value
 *   slack-notifier:                   # flagd style
 *     state: ENABLED                  # DISABLED: callers get their default value
 *     variants: { on: true, off: false }
 *     defaultVariant: off
 * ```
 *
 * Throws a `TypeError` naming the first fault (`flags.x.defaultVariant: …`); the file provider reports it as a
 * `FlagFileError` with the file's path.
 */
export function readFlagFile(data: unknown): FileFlags {
  if (!isRecord(data)) fail('(top level)', 'must be an object with a "flags" object');
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.has(key))
      fail(key, `unknown top-level key (allowed: ${[...TOP_KEYS].join(', ')})`);
  }
  const flags = data.flags;
  if (!isRecord(flags)) fail('flags', 'must be an object mapping flag keys to flags');
  const out = new Map<string, FileFlag>();
  for (const [key, raw] of Object.entries(flags)) {
    if (key === '') fail('flags', 'a flag key must not be empty');
    out.set(key, definition(key, raw));
  }
  return out;
}

/** The keys added, removed or changed between two sets of flags, sorted. */
export function changedFlags(before: FileFlags | undefined, after: FileFlags): string[] {
  const keys = new Set([...(before?.keys() ?? []), ...after.keys()]);
  const changed: string[] = [];
  for (const key of keys) {
    const a = before?.get(key);
    const b = after.get(key);
    if (a === undefined || b === undefined || JSON.stringify(a) !== JSON.stringify(b))
      changed.push(key);
  }
  return changed.sort();
}
