/**
 * JSONPath, the singular-query subset of RFC 9535: paths that name at most one value, such as
 * `$.status`, `$.checks.db.latencyMs`, `$.items[0].id`, `$.items[-1]`, `$['x-key']['a b']`. Wildcards,
 * slices, filters and recursive descent select several values, which an equality assertion cannot judge,
 * so they are refused with a message saying so.
 */

/** A member name or an array index (negative: from the end). */
export type PathSegment = string | number;

export interface JsonPath {
  /** The path as written. */
  readonly text: string;
  readonly segments: readonly PathSegment[];
}

/** The value a path selects, or the prefix at which it stopped existing. */
export type Lookup =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly missing: string };

const NAME = /[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF-]*/y;
const INDEX = /-?(?:0|[1-9]\d*)/y;
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '/': '/',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string, hint?: string): never {
    throw new SyntaxError(
      `${what} at position ${this.pos}${hint === undefined ? '' : `; ${hint}`}`,
    );
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null) return undefined;
    this.pos = pattern.lastIndex;
    return m[0];
  }

  skipSpace(): void {
    this.match(/[ \t\n\r]*/y);
  }
}

/** Parses a path; throws a SyntaxError naming the position and what is wrong. */
export function parseJsonPath(text: string): JsonPath {
  const p = new Parser(text);
  if (text[0] !== '$') p.fail("expected '$'");
  p.pos = 1;
  const segments: PathSegment[] = [];
  while (p.pos < text.length) {
    const c = text[p.pos];
    if (c === '.') segments.push(dotSegment(p));
    else if (c === '[') segments.push(bracketSegment(p));
    else p.fail(`unexpected ${JSON.stringify(c)}`);
  }
  return { text, segments };
}

function dotSegment(p: Parser): string {
  p.pos += 1;
  const next = p.text[p.pos];
  if (next === '.' || next === '*') unsupported(p);
  return p.match(NAME) ?? p.fail('expected a member name');
}

function bracketSegment(p: Parser): PathSegment {
  p.pos += 1;
  p.skipSpace();
  const c = p.text[p.pos];
  let segment: PathSegment;
  if (c === "'" || c === '"') segment = quoted(p, c);
  else {
    const index = p.match(INDEX);
    if (index === undefined) {
      if (c === '*' || c === '?' || c === ':') unsupported(p);
      p.fail('expected a quoted name or an index');
    }
    if (p.text[p.pos] === ':') unsupported(p);
    segment = Number(index);
  }
  p.skipSpace();
  if (p.text[p.pos] !== ']') p.fail("expected ']'");
  p.pos += 1;
  return segment;
}

function quoted(p: Parser, quote: string): string {
  let out = '';
  for (p.pos += 1; p.pos < p.text.length; p.pos += 1) {
    const c = p.text[p.pos] ?? '';
    if (c === quote) {
      p.pos += 1;
      return out;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    p.pos += 1;
    const e = p.text[p.pos] ?? '';
    if (e === 'u') {
      const hex = p.text.slice(p.pos + 1, p.pos + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) p.fail('expected 4 hex digits after \\u');
      out += String.fromCharCode(parseInt(hex, 16));
      p.pos += 4;
    } else out += ESCAPES[e] ?? p.fail(`unknown escape \\${e}`);
  }
  return p.fail('unterminated string');
}

function unsupported(p: Parser): never {
  return p.fail(
    'wildcards, slices, filters and recursive descent are not supported',
    'write a path to one value, like $.items[0].status',
  );
}

const MISSING = Symbol('missing');

/** Selects the value at `path` in `root`. */
export function evaluate(path: JsonPath, root: unknown): Lookup {
  let value = root;
  let at = '$';
  for (const segment of path.segments) {
    const next = step(value, segment);
    at += formatSegment(segment);
    if (next === MISSING) return { found: false, missing: at };
    value = next;
  }
  return { found: true, value };
}

function step(value: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'number') {
    if (!Array.isArray(value)) return MISSING;
    const index = segment < 0 ? value.length + segment : segment;
    return index >= 0 && index < value.length ? (value[index] as unknown) : MISSING;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return MISSING;
  return Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : MISSING;
}

/** `.name`, `["a b"]` or `[0]`. */
function formatSegment(segment: PathSegment): string {
  if (typeof segment === 'number') return `[${segment}]`;
  NAME.lastIndex = 0;
  const m = NAME.exec(segment);
  return m?.[0] === segment ? `.${segment}` : `[${JSON.stringify(segment)}]`;
}
