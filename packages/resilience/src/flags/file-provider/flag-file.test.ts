import { describe, expect, it } from 'vitest';
import { changedFlags, readFlagFile } from './flag-file.js';

describe('readFlagFile', () => {
  it('reads shorthand values and flagd-style definitions', () => {
    const flags = readFlagFile({
      $schema: 'https://flagd.dev/schema/v0/flags.json',
      flags: {
        a: true,
        s: 'blue',
        n: 3,
        full: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
        off: { state: 'DISABLED', variants: { x: { deep: 1 } }, defaultVariant: 'x', metadata: {} },
      },
    });
    expect(Object.fromEntries(flags)).toEqual({
      a: { value: true, variant: undefined, disabled: false },
      s: { value: 'blue', variant: undefined, disabled: false },
      n: { value: 3, variant: undefined, disabled: false },
      full: { value: false, variant: 'off', disabled: false },
      off: { value: { deep: 1 }, variant: 'x', disabled: true },
    });
  });

  const faults: [string, unknown, string][] = [
    ['not an object', [1], '(top level): must be an object with a "flags" object'],
    ['no flags', {}, 'flags: must be an object mapping flag keys to flags'],
    [
      'typo at top',
      { flag: {} },
      'flag: unknown top-level key (allowed: flags, $schema, metadata)',
    ],
    ['empty key', { flags: { '': true } }, 'flags: a flag key must not be empty'],
    ['null flag', { flags: { a: null } }, 'flags.a: must be a boolean, string or number'],
    [
      'targeting',
      { flags: { a: { targeting: {} } } },
      'flags.a: targeting rules are not supported',
    ],
    [
      'unknown field',
      { flags: { a: { defaultvariant: 'on' } } },
      'flags.a: unknown field "defaultvariant"',
    ],
    [
      'bad state',
      { flags: { a: { state: 'ON', variants: { on: true }, defaultVariant: 'on' } } },
      'flags.a.state: must be ENABLED or DISABLED, got "ON"',
    ],
    [
      'no variants',
      { flags: { a: { variants: {}, defaultVariant: 'on' } } },
      'flags.a.variants: must map at least one variant',
    ],
    [
      'bad default',
      { flags: { a: { variants: { on: true, off: false }, defaultVariant: 'of' } } },
      'flags.a.defaultVariant: must be one of the variants (on, off), got "of"',
    ],
  ];

  it.each(faults)('rejects %s, naming where', (_name, data, message) => {
    expect(() => readFlagFile(data)).toThrow(TypeError);
    expect(() => readFlagFile(data)).toThrow(message);
  });
});

describe('changedFlags', () => {
  it('lists added, removed and changed keys, sorted', () => {
    const before = readFlagFile({ flags: { keep: true, gone: true, flip: true } });
    const after = readFlagFile({ flags: { keep: true, flip: false, fresh: 1 } });
    expect(changedFlags(before, after)).toEqual(['flip', 'fresh', 'gone']);
    expect(changedFlags(undefined, after)).toEqual(['flip', 'fresh', 'keep']);
    expect(changedFlags(after, after)).toEqual([]);
  });
});
