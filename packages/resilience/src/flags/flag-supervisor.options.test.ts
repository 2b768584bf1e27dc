import { describe, expect, it } from 'vitest';
import { createFlagSupervisor } from './flag-supervisor.js';
import type { FlagSupervisorOptions } from './options.js';

const client = {
  getBooleanDetails: () => Promise.resolve({ flagKey: 'f', flagMetadata: {}, value: true }),
  addHandler: () => undefined,
  removeHandler: () => undefined,
};
const task = () => Promise.resolve();

describe('createFlagSupervisor rejects bad options at construction, naming the option', () => {
  const cases: [string, unknown, RegExp, ErrorConstructor][] = [
    ['options', undefined, /options must be an object/, TypeError],
    ['id', { client, id: '' }, /id must be a non-empty string/, TypeError],
    ['client missing', {}, /client must be an OpenFeature client/, TypeError],
    [
      'client without handlers',
      { client: { getBooleanDetails: () => 1 } },
      /client must be/,
      TypeError,
    ],
    [
      'pollMs 0',
      { client, pollMs: 0 },
      /"flag-supervisor": pollMs must be a number of ms > 0/,
      RangeError,
    ],
    ['pollMs NaN', { client, pollMs: NaN }, /pollMs/, RangeError],
    [
      'evaluationTimeoutMs',
      { client, evaluationTimeoutMs: -1 },
      /evaluationTimeoutMs must be/,
      RangeError,
    ],
    [
      'concurrency',
      { client, concurrency: 0 },
      /concurrency must be an integer >= 1, got 0/,
      RangeError,
    ],
    ['concurrency 1.5', { client, concurrency: 1.5 }, /concurrency/, RangeError],
    ['fallback', { client, fallback: 'yes' }, /fallback must be a boolean/, TypeError],
    ['children', { client, children: {} }, /children must be an array/, TypeError],
    [
      'child flag',
      { client, children: [{ id: 'a', task }] },
      /children\[0\] \(child "a"\): flag must be a non-empty flag key/,
      TypeError,
    ],
    [
      'child id',
      { client, children: [{ flag: 'f', task }] },
      /children\[0\]\.id must be a non-empty string/,
      TypeError,
    ],
    [
      'child task',
      { client, children: [{ id: 'a', flag: 'f' }] },
      /children\[0\]\.task \(child "a"\)/,
      TypeError,
    ],
    [
      'child duplicate',
      {
        client,
        children: [
          { id: 'a', flag: 'f', task },
          { id: 'a', flag: 'g', task },
        ],
      },
      /children\[1\]\.id "a" is a duplicate/,
      TypeError,
    ],
    [
      'child restart',
      { client, children: [{ id: 'a', flag: 'f', task, restart: 'transient' }] },
      /children\[0\]\.restart \(child "a"\): flag children have no restart type/,
      TypeError,
    ],
    [
      'child intensity',
      { client, children: [{ id: 'a', flag: 'f', task, intensity: -1 }] },
      /\(child "a"\): intensity must be an integer >= 0/,
      RangeError,
    ],
    [
      'child periodMs',
      { client, children: [{ id: 'a', flag: 'f', task, periodMs: 0 }] },
      /periodMs must be/,
      RangeError,
    ],
    [
      'child fallback',
      { client, children: [{ id: 'a', flag: 'f', task, fallback: 1 }] },
      /\(child "a"\): fallback must be a boolean/,
      TypeError,
    ],
    [
      'child shutdownMs',
      { client, children: [{ id: 'a', flag: 'f', task, shutdownMs: -5 }] },
      /shutdownMs/,
      RangeError,
    ],
    [
      'child context',
      { client, children: [{ id: 'a', flag: 'f', task, context: [] }] },
      /context must be an evaluation context object/,
      TypeError,
    ],
    [
      'child context cycle',
      { client, children: [{ id: 'a', flag: 'f', task, context: cyclic() }] },
      /context must be serialisable/,
      TypeError,
    ],
  ];

  it.each(cases)('%s', (_name, options, message, type) => {
    const build = () => createFlagSupervisor(options as FlagSupervisorOptions);
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });

  it('validates addChild specs the same way, naming addChild', () => {
    const sup = createFlagSupervisor({ client });
    expect(() => sup.addChild({ id: 'a', flag: '', task })).toThrow(
      /FlagSupervisor "flag-supervisor": addChild \(child "a"\): flag must be/,
    );
  });
});

function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  o.self = o;
  return o;
}
