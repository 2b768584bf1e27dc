import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notifierTypes } from '../packages/server/src/alerting/notifiers/registry.js';
import { checkKinds } from '../packages/server/src/checks/index.js';
import { loadConfig } from '../packages/server/src/config/index.js';

const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
  (m) => m[1] ?? '',
);

describe('README.md', () => {
  it('has config examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((yaml, i) => [i, yaml] as const))(
    'config example %i loads as written',
    (_i, yaml) => {
      const config = loadConfig(yaml, {
        file: 'README.md',
        dir: '.',
        env: { PAGERDUTY_ROUTING_KEY: 'k', SLACK_WEBHOOK_URL: 'https://hooks.example.com/x' },
        kinds: checkKinds,
        notifierTypes,
      });
      expect(config.monitors.length + config.notifiers.length).toBeGreaterThan(0);
    },
  );
});
