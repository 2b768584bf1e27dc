/** A value `expect` may name in config. */
export type Expected = string | number | boolean | null;

/** What the first column of the first row must be. */
export interface Expectation {
  readonly expect?: Expected | undefined;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** Marks a query that returned no rows. */
export const NO_ROWS: unique symbol = Symbol('no rows');

/** The verdict on a query's first value. */
export interface Verdict {
  readonly pass: boolean;
  readonly message: string;
  /** The first value as a number, when it is one. */
  readonly value?: number;
}

type Plain = string | number | boolean | null;

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;
const INTEGER = /^\s*[-+]?\d+\s*$/;
const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);

/**
 * Judges the first value a query returned (`NO_ROWS` when none) against `expectation`. Values compare
 * across the types drivers return: `1`, `'1'` and `1.0` are equal, booleans equal `t`/`1`/`yes`, big
 * integers (returned as text) compare exactly.
 */
export function judge(first: unknown, expectation: Expectation): Verdict {
  const { expect, min, max } = expectation;
  const bounded = min !== undefined || max !== undefined;
  if (first === NO_ROWS) {
    if (expect === undefined && !bounded) return { pass: true, message: 'query returned no rows' };
    return { pass: false, message: `query returned no rows, expected ${wanted(expectation)}` };
  }
  const actual = plain(first);
  const number = asNumber(actual);
  const withValue = number === undefined ? {} : { value: number };
  const shown = `query returned ${show(actual)}`;
  const pass =
    expect !== undefined
      ? sameValue(actual, expect)
      : number !== undefined &&
        (min === undefined || number >= min) &&
        (max === undefined || number <= max);
  if (pass || (expect === undefined && !bounded))
    return { pass: true, message: shown, ...withValue };
  return { pass: false, message: `${shown}, expected ${wanted(expectation)}`, ...withValue };
}

/** Whether a driver's value equals an expected one, across types. */
export function sameValue(actual: Plain, expected: Expected): boolean {
  if (actual === null || expected === null) return actual === expected;
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    const a = asBoolean(actual);
    return a !== undefined && a === asBoolean(expected);
  }
  if (isNumeric(actual) && isNumeric(expected)) {
    if (INTEGER.test(String(actual)) && INTEGER.test(String(expected)))
      return BigInt(String(actual).trim()) === BigInt(String(expected).trim());
    return Number(actual) === Number(expected);
  }
  return String(actual) === String(expected);
}

/** A driver value reduced to what a comparison needs: dates as ISO text, buffers and objects as text. */
function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return JSON.stringify(value);
}

function isNumeric(value: Plain): value is number | string {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && NUMERIC.test(value))
  );
}

function asNumber(value: Plain): number | undefined {
  return isNumeric(value) ? Number(value) : undefined;
}

function asBoolean(value: Plain): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  return FALSE_WORDS.has(word) ? false : undefined;
}

function show(value: Plain): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string' && !NUMERIC.test(value)) {
    const text = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return JSON.stringify(text);
  }
  return String(value).trim();
}

function wanted({ expect, min, max }: Expectation): string {
  if (expect !== undefined) return show(expect);
  if (min !== undefined && max !== undefined) return `a number between ${min} and ${max}`;
  if (min !== undefined) return `a number of at least ${min}`;
  return `a number of at most ${String(max)}`;
}
