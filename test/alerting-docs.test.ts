import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notifierTypes } from '../packages/server/src/alerting/notifiers/registry.js';
import { checkKinds } from '../packages/server/src/checks/index.js';
import { loadConfig } from '../packages/server/src/config/index.js';

describe('docs/alerting.md', () => {
  it('its config example loads, with every key of the rules and notifiers it shows', () => {
    const text = readFileSync('docs/alerting.md', 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    const config = loadConfig(
      `monitors:\n  - { id: api, tags: [prod], group: data, tcp: { host: 127.0.0.1, port: 1 } }\n  - { id: gw, group: network, tcp: { host: 127.0.0.1, port: 1 } }\n${yaml}`,
      {
        file: 'docs/alerting.md',
        dir: '.',
        env: { PAGERDUTY_ROUTING_KEY: 'k', SLACK_WEBHOOK_URL: 'https://hooks.example.com/x' },
        kinds: checkKinds,
        notifierTypes, // the real types: the example must be valid as written
      },
    );
    expect(config.notifiers.map((n) => [n.id, n.timeoutMs, n.concurrency, n.rateLimit])).toEqual([
      ['oncall', 10_000, 4, undefined],
      ['chat', 10_000, 4, { max: 20, perMs: 60_000 }],
    ]);
    expect(config.alerts.map((r) => [r.name, r.groupWaitMs, r.events.length])).toEqual([
      ['production', 30_000, 6],
      ['infra', 0, 3],
    ]);
  });
});
