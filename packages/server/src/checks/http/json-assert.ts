import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { evaluate, parseJsonPath, type JsonPath } from './json-path.js';
import { regexSchema } from './regex.js';

const comparable = z.union([z.number(), z.string()]);
const numeric = z
  .object({
    eq: z.number().optional(),
    ne: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
  })
  .strict();
const jsonTypes = ['string', 'number', 'boolean', 'null', 'array', 'object'] as const;

type Operators = z.output<typeof jsonOperatorsSchema>;

/** Comparisons on the value at a path; every one given must hold. */
export const jsonOperatorsSchema = z
  .object({
    /** Deep equality (also how an object or array is compared). */
    eq: z.json().optional(),
    ne: z.json().optional(),
    /** Order comparisons: number with number, or string with string (ISO dates compare as text). */
    lt: comparable.optional(),
    lte: comparable.optional(),
    gt: comparable.optional(),
    gte: comparable.optional(),
    /** A regular expression a string value must match. */
    matches: regexSchema.optional(),
    /** A substring of a string value, or an element of an array value. */
    contains: z.json().optional(),
    /** Whether the path must exist (`false`: must not). */
    exists: z.boolean().optional(),
    /** The length of a string or array: a number, or comparisons (`{ gte: 1 }`). */
    length: z.union([z.int().min(0), numeric]).optional(),
    type: z.enum(jsonTypes).optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, {
    message:
      'expected at least one of eq, ne, lt, lte, gt, gte, matches, contains, exists, length, type',
  });

const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.json())]);

/**
 * What a JSONPath must select: a plain value (deep-equal to it) or an object of comparisons. Dispatched
 * by shape rather than a zod union, so a mistake in an operator object is reported as such (a union
 * would only say "Invalid input").
 */
export const jsonExpectationSchema = z
  .unknown()
  .transform((value, ctx): z.output<typeof jsonValue> | Operators => {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const parsed = isObject ? jsonOperatorsSchema.safeParse(value) : jsonValue.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });

export type JsonExpectation = z.output<typeof jsonExpectationSchema>;
type Op = keyof Operators;

/** A compiled assertion: returns why the document fails it, or `undefined` when it holds. */
export type JsonAssertion = (document: unknown) => string | undefined;

/** Compiles `path: expected` (the path already validated by the schema). */
export function jsonAssertion(pathText: string, expected: JsonExpectation): JsonAssertion {
  const path = parseJsonPath(pathText);
  const operators: Operators =
    typeof expected === 'object' && expected !== null && !Array.isArray(expected)
      ? expected
      : { eq: expected };
  const regex = operators.matches === undefined ? undefined : new RegExp(operators.matches);
  return (document) => judge(path, operators, regex, document);
}

function judge(
  path: JsonPath,
  ops: Operators,
  regex: RegExp | undefined,
  document: unknown,
): string | undefined {
  const lookup = evaluate(path, document);
  if (!lookup.found) {
    if (ops.exists === false) return undefined;
    const where = lookup.missing === path.text ? '' : ` (${lookup.missing} is missing)`;
    const wanted = describeOperators(ops);
    return `${path.text} does not exist${where}${wanted === '' ? '' : `, expected ${wanted}`}`;
  }
  const actual = lookup.value;
  const is = `${path.text} is ${show(actual)}`;
  for (const op of Object.keys(ops) as Op[]) {
    const problem = check(op, ops, regex, actual);
    if (problem !== undefined) return `${is}, expected ${problem}`;
  }
  return undefined;
}

/** Why `actual` fails operator `op` (the text after "expected"), or undefined. */
function check(
  op: Op,
  ops: Operators,
  regex: RegExp | undefined,
  actual: unknown,
): string | undefined {
  switch (op) {
    case 'exists':
      return ops.exists === false ? 'it not to exist' : undefined;
    case 'eq':
      return isDeepStrictEqual(actual, ops.eq) ? undefined : show(ops.eq);
    case 'ne':
      return isDeepStrictEqual(actual, ops.ne) ? `anything but ${show(ops.ne)}` : undefined;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return compare(op, actual, ops[op]);
    case 'matches':
      return typeof actual === 'string' && regex?.test(actual) === true
        ? undefined
        : `${typeof actual === 'string' ? '' : 'a string '}to match ${String(regex)}`;
    case 'contains':
      return contains(actual, ops.contains) ? undefined : `to contain ${show(ops.contains)}`;
    case 'length':
      return checkLength(actual, ops.length);
    case 'type':
      return ops.type === undefined || typeOf(actual) === ops.type ? undefined : A_TYPE[ops.type];
  }
}

const A_TYPE = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  array: 'an array',
  object: 'an object',
} as const;

const SYMBOLS = { eq: '=', ne: '≠', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function compare(
  op: 'lt' | 'lte' | 'gt' | 'gte' | 'eq' | 'ne',
  actual: unknown,
  limit: unknown,
): string | undefined {
  const wanted = `${SYMBOLS[op]} ${show(limit)}`;
  if (typeof actual !== typeof limit || (typeof actual !== 'number' && typeof actual !== 'string'))
    return `a ${typeof limit} ${wanted}`;
  const a = actual;
  const b = limit as typeof actual;
  const holds = {
    lt: a < b,
    lte: a <= b,
    gt: a > b,
    gte: a >= b,
    eq: a === b,
    ne: a !== b,
  }[op];
  return holds ? undefined : wanted;
}

function checkLength(actual: unknown, wanted: Operators['length']): string | undefined {
  if (wanted === undefined) return undefined;
  const spec = typeof wanted === 'number' ? { eq: wanted } : wanted;
  const text = Object.entries(spec)
    .map(([op, n]) => `${SYMBOLS[op as keyof typeof SYMBOLS]} ${String(n)}`)
    .join(' and ');
  if (typeof actual !== 'string' && !Array.isArray(actual))
    return `a string or an array with length ${text}`;
  const failing = Object.entries(spec).some(
    ([op, n]) => compare(op as keyof typeof SYMBOLS, actual.length, n) !== undefined,
  );
  return failing ? `length ${text} (it has length ${actual.length})` : undefined;
}

function contains(actual: unknown, wanted: unknown): boolean {
  if (typeof actual === 'string') return typeof wanted === 'string' && actual.includes(wanted);
  return Array.isArray(actual) && actual.some((item) => isDeepStrictEqual(item, wanted));
}

function typeOf(value: unknown): (typeof jsonTypes)[number] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** What the operators want, for a path that does not exist: `"ok"`, `< 200`. */
function describeOperators(ops: Operators): string {
  if (ops.exists === true) return '';
  if ('eq' in ops) return show(ops.eq);
  const first = Object.keys(ops).find((op) => op !== 'exists') as Op | undefined;
  if (first === undefined) return '';
  if (first === 'matches') return `a string matching /${String(ops.matches)}/`;
  if (first === 'type') return A_TYPE[ops.type ?? 'null'];
  const symbol = (SYMBOLS as Partial<Record<Op, string>>)[first];
  return `${symbol ?? first} ${show(ops[first])}`;
}

/** A value as JSON, cut to 60 characters. */
export function show(value: unknown): string {
  const text = (JSON.stringify(value) as string | undefined) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
