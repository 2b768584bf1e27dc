import { describe, expect, it } from 'vitest';
import { jsonAssertion, jsonExpectationSchema, show } from './json-assert.js';

const doc = {
  status: 'degraded',
  version: '2.4.1',
  latencyMs: 350,
  up: false,
  tags: ['eu', 'primary'],
  items: [{ id: 1 }],
  empty: [],
  since: '2026-01-05T10:00:00Z',
  nothing: null,
  deep: { a: [1, { b: 2 }] },
};

function judge(path: string, expected: unknown): string | undefined {
  return jsonAssertion(path, jsonExpectationSchema.parse(expected))(doc);
}

describe('JSON assertions', () => {
  it.each([
    ['$.status', 'degraded'],
    ['$.latencyMs', 350],
    ['$.up', false],
    ['$.nothing', null],
    ['$.tags', ['eu', 'primary']],
    ['$.deep', { eq: { a: [1, { b: 2 }] } }],
    ['$.status', { ne: 'ok' }],
    ['$.latencyMs', { gt: 100, lte: 350 }],
    ['$.since', { gte: '2026-01-01', lt: '2027' }],
    ['$.version', { matches: '^2\\.' }],
    ['$.version', { contains: '.4.' }],
    ['$.tags', { contains: 'eu' }],
    ['$.items', { contains: { id: 1 } }],
    ['$.items', { length: 1 }],
    ['$.empty', { length: { lt: 1 } }],
    ['$.version', { length: { gte: 3, ne: 4 } }],
    ['$.status', { exists: true }],
    ['$.missing', { exists: false }],
    ['$.tags', { type: 'array' }],
    ['$.nothing', { type: 'null' }],
    ['$.deep', { type: 'object' }],
  ])('%s %j holds', (path, expected) => {
    expect(judge(path, expected)).toBeUndefined();
  });

  it.each([
    ['$.status', 'ok', '$.status is "degraded", expected "ok"'],
    ['$.latencyMs', '350', '$.latencyMs is 350, expected "350"'],
    ['$.tags', ['eu'], '$.tags is ["eu","primary"], expected ["eu"]'],
    ['$.status', { ne: 'degraded' }, '$.status is "degraded", expected anything but "degraded"'],
    ['$.latencyMs', { lt: 200 }, '$.latencyMs is 350, expected < 200'],
    ['$.latencyMs', { gt: 100, lt: 300 }, '$.latencyMs is 350, expected < 300'],
    ['$.latencyMs', { gte: 351 }, '$.latencyMs is 350, expected >= 351'],
    ['$.latencyMs', { lte: 349 }, '$.latencyMs is 350, expected <= 349'],
    ['$.status', { lt: 10 }, '$.status is "degraded", expected a number < 10'],
    ['$.version', { matches: '^3\\.' }, '$.version is "2.4.1", expected to match /^3\\./'],
    ['$.latencyMs', { matches: '3' }, '$.latencyMs is 350, expected a string to match /3/'],
    ['$.tags', { contains: 'us' }, '$.tags is ["eu","primary"], expected to contain "us"'],
    ['$.up', { contains: 'x' }, '$.up is false, expected to contain "x"'],
    ['$.items', { length: 2 }, '$.items is [{"id":1}], expected length = 2 (it has length 1)'],
    ['$.empty', { length: { gte: 1 } }, '$.empty is [], expected length >= 1 (it has length 0)'],
    ['$.up', { length: 1 }, '$.up is false, expected a string or an array with length = 1'],
    ['$.status', { exists: false }, '$.status is "degraded", expected it not to exist'],
    ['$.status', { type: 'number' }, '$.status is "degraded", expected a number'],
    ['$.tags', { type: 'object' }, '$.tags is ["eu","primary"], expected an object'],
    ['$.missing', 'ok', '$.missing does not exist, expected "ok"'],
    ['$.missing', { exists: true }, '$.missing does not exist'],
    ['$.missing', { lt: 5 }, '$.missing does not exist, expected < 5'],
    ['$.missing', { matches: 'x' }, '$.missing does not exist, expected a string matching /x/'],
    ['$.missing', { type: 'array' }, '$.missing does not exist, expected an array'],
    ['$.missing', { contains: 1 }, '$.missing does not exist, expected contains 1'],
    ['$.deep.a[1].c', 1, '$.deep.a[1].c does not exist, expected 1'],
    ['$.deep.x.y', 1, '$.deep.x.y does not exist ($.deep.x is missing), expected 1'],
  ])('%s %j fails: %s', (path, expected, message) => {
    expect(judge(path, expected)).toBe(message);
  });

  it('cuts long values in messages', () => {
    expect(show('x'.repeat(100))).toBe(`"${'x'.repeat(58)}…`);
    expect(show(undefined)).toBe('undefined');
  });

  it('refuses unknown and empty operator objects and bad regexes', () => {
    const issues = (v: unknown) =>
      jsonExpectationSchema
        .safeParse(v)
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    // The second issue lists the operators there are.
    expect(issues({ lessThan: 3 })).toEqual([
      ': Unrecognized key: "lessThan"',
      ': expected at least one of eq, ne, lt, lte, gt, gte, matches, contains, exists, length, type',
    ]);
    expect(issues({})).toEqual([
      ': expected at least one of eq, ne, lt, lte, gt, gte, matches, contains, exists, length, type',
    ]);
    expect(issues({ matches: '(' })).toEqual(['matches: is not a valid regular expression']);
    expect(issues({ type: 'date' })?.[0]).toMatch(/^type: Invalid option/);
    expect(issues({ length: -1 })?.[0]).toMatch(/^length: /);
  });
});
