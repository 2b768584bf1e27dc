import { describe, expect, it } from 'vitest';
import { configProblems as problems, loadTestConfig as load } from '../../test/config-load.js';
import { notifierFlags } from './flag-checks.js';

const TCP = 'tcp: { host: 127.0.0.1, port: 5432 }';

describe('feature flags in the config', () => {
  it('reads the flags: section with its defaults, and flag: keys on monitors, groups and notifiers', () => {
    const config = load(`
flags:
  path: ./flags.yaml
groups:
  - { id: data, flag: group.data }
monitors:
  - { id: db, group: data, flag: monitor.db, ${TCP} }
  - { id: cache, ${TCP} }
notifiers:
  - { id: slack, type: slack, flag: notifier.slack, webhookUrl: "http://127.0.0.1:9/hook" }
  - { id: pager, type: pagerduty, routingKey: k }
`);
    expect(config.flags).toEqual({
      provider: 'file',
      path: './flags.yaml',
      fallback: true,
      pollIntervalMs: 1000,
      evaluationTimeoutMs: 5000,
    });
    expect(config.groups[0]).toMatchObject({ id: 'data', flag: 'group.data' });
    expect(config.monitors.map((m) => m.flag)).toEqual(['monitor.db', undefined]);
    expect(notifierFlags(config.notifiers)).toEqual([{ id: 'slack', flag: 'notifier.slack' }]);
  });

  it('takes every option of the flags: section', () => {
    const config = load(`
flags: { provider: file, path: /srv/flags.json, fallback: false, pollInterval: 30s, evaluationTimeout: 500ms }
`);
    expect(config.flags).toEqual({
      provider: 'file',
      path: '/srv/flags.json',
      fallback: false,
      pollIntervalMs: 30_000,
      evaluationTimeoutMs: 500,
    });
    expect(load('monitors: []\n').flags).toBeUndefined();
  });

  it('lists only the notifiers that have a flag', () => {
    expect(notifierFlags([{ id: 'slack', flag: 'n.slack' }, { id: 'mail' }] as never)).toEqual([
      { id: 'slack', flag: 'n.slack' },
    ]);
    expect(notifierFlags([])).toEqual([]);
  });

  it.each([
    [
      'a flag: key without a flags: section',
      `groups:\n  - { id: data, flag: g }\nmonitors:\n  - { id: db, flag: m, ${TCP} }\n`,
      [
        'groups[0].flag: flags need a provider: add a `flags:` section, e.g. `flags: { path: ./flags.yaml }` (see docs/flags.md) (vigil.yaml:2:23)',
        'monitors[0].flag: flags need a provider: add a `flags:` section, e.g. `flags: { path: ./flags.yaml }` (see docs/flags.md) (vigil.yaml:4:21)',
      ],
    ],
    [
      'a flag key with spaces, an empty one, and one that is not text',
      `flags: { path: f.yaml }\nmonitors:\n  - { id: a, flag: "monitor a", ${TCP} }\n  - { id: b, flag: "", ${TCP} }\nnotifiers:\n  - { id: n, type: ntfy, topic: t, flag: 42 }\n`,
      [
        'monitors[0].flag: "monitor a": a flag key is 1–256 characters without spaces, e.g. monitor.payments (vigil.yaml:3:20)',
        'monitors[1].flag: "": a flag key is 1–256 characters without spaces, e.g. monitor.payments (vigil.yaml:4:20)',
        'notifiers[0].flag: expected a string, got 42 (vigil.yaml:6:42)',
      ],
    ],
    [
      'a notifier with a flag and no id',
      'flags: { path: f.yaml }\nnotifiers:\n  - type: slack\n    flag: n.slack\n',
      [
        'notifiers[0].id: is required (string) (vigil.yaml:3:5)',
        'notifiers[0].webhookUrl: is required (string) (vigil.yaml:3:5)',
      ],
    ],
    [
      'a flags: section without a path, with an unknown key and a bad provider and duration',
      'flags:\n  provider: launchdarkly\n  pollIntervall: 1s\n  evaluationTimeout: soon\n',
      [
        'flags.pollIntervall: unknown key "pollIntervall"; did you mean "pollInterval"? (vigil.yaml:3:3)',
        'flags.provider: "launchdarkly" is not one of "file" (vigil.yaml:2:13)',
        'flags.path: is required (string) (vigil.yaml:2:3)',
        'flags.evaluationTimeout: "soon" is not a duration; write e.g. 30s, 5m, 1h30m, 250ms or a number of ms (vigil.yaml:4:22)',
      ],
    ],
  ])('refuses %s, naming path and line', (_name, yaml, expected) => {
    expect(problems(yaml).sort()).toEqual([...expected].sort());
  });
});
