import { describe, expect, it } from 'vitest';
import { evaluate, parseJsonPath } from './json-path.js';

const doc = {
  status: 'ok',
  checks: { db: { latencyMs: 12, up: true }, 'x-cache': { 'hit rate': 0.9 } },
  items: [{ id: 1 }, { id: 2 }, { id: 3 }],
  nothing: null,
  ünï: 'code',
  "it's": 'quoted',
  'tab\tandA': 'escaped',
};

describe('JSONPath (singular queries)', () => {
  it.each([
    ['$', doc],
    ['$.status', 'ok'],
    ['$.checks.db.latencyMs', 12],
    ['$.checks.db.up', true],
    ['$.items[0].id', 1],
    ['$.items[-1].id', 3],
    ['$.items[ 1 ].id', 2],
    ["$['checks']['x-cache']['hit rate']", 0.9],
    ['$["checks"].db["up"]', true],
    ['$.checks.x-cache', { 'hit rate': 0.9 }],
    ['$.nothing', null],
    ['$.ünï', 'code'],
    ["$['it\\'s']", 'quoted'],
    ['$["tab\\tand\\u0041"]', 'escaped'],
  ])('%s selects its value', (path, value) => {
    expect(evaluate(parseJsonPath(path), doc)).toEqual({ found: true, value });
  });

  it.each([
    ['$.missing', '$.missing'],
    ['$.checks.cache.up', '$.checks.cache'],
    ['$.items[3]', '$.items[3]'],
    ['$.items[-4]', '$.items[-4]'],
    ['$.status.length', '$.status.length'],
    ['$.items.id', '$.items.id'],
    ['$.checks[0]', '$.checks[0]'],
    ['$.nothing.x', '$.nothing.x'],
    ["$['a b'].c", '$["a b"]'],
  ])('%s does not exist (stops at %s)', (path, missing) => {
    expect(evaluate(parseJsonPath(path), doc)).toEqual({ found: false, missing });
  });

  it('does not read inherited properties', () => {
    expect(evaluate(parseJsonPath('$.constructor'), {}).found).toBe(false);
    expect(evaluate(parseJsonPath('$.toString'), { a: 1 }).found).toBe(false);
  });

  it.each([
    ['status', "expected '$' at position 0"],
    ['$status', 'unexpected "s" at position 1'],
    ['$.', 'expected a member name at position 2'],
    ['$.1abc', 'expected a member name at position 2'],
    ['$[', 'expected a quoted name or an index at position 2'],
    ['$[0', "expected ']' at position 3"],
    ["$['abc", 'unterminated string at position 6'],
    ["$['\\q']", 'unknown escape \\q at position 4'],
    ["$['\\u00zz']", 'expected 4 hex digits after \\u at position 4'],
    ['$[01]', "expected ']' at position 3"],
  ])('%s is refused: %s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(message);
  });

  it.each(['$..id', '$.items[*]', '$.*', '$.items[0:2]', '$.items[?(@.id==1)]', '$.items[1:]'])(
    '%s (several values) is refused with a hint',
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(
        /wildcards, slices, filters and recursive descent are not supported at position \d+; write a path to one value, like \$\.items\[0\]\.status/,
      );
    },
  );
});
