import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configProblems, loadTestConfig } from '../../test/config-load.js';

const notifierTypes = {
  webhook: {
    schema: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        headers: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
  },
};
const load = (text: string) => loadTestConfig(text, { notifierTypes });
const problems = (text: string) => configProblems(text, { notifierTypes });

const monitors = `
monitors:
  - id: api
    group: web
    tags: [critical]
    tcp: { host: 127.0.0.1, port: 1 }
`;

describe('loadConfig: notifiers and alerts', () => {
  it('validates notifiers with their type schema and applies rule defaults', () => {
    const config = load(`${monitors}
notifiers:
  - id: hook
    type: webhook
    url: http://127.0.0.1:9000/alert
    timeout: 2s
    concurrency: 2
    rateLimit: { max: 10, per: 1m }
alerts:
  - name: web
    match: { groups: [web] }
    notifiers: [hook]
    groupWait: 30s
    remindEvery: 1h
    flapping: { transitions: 4, window: 10m }
`);
    expect(config.notifiers).toEqual([
      {
        id: 'hook',
        type: 'webhook',
        timeoutMs: 2000,
        concurrency: 2,
        rateLimit: { max: 10, perMs: 60_000 },
        settings: { url: 'http://127.0.0.1:9000/alert', headers: {} },
      },
    ]);
    expect(config.alerts).toEqual([
      {
        name: 'web',
        match: { groups: ['web'] },
        notifiers: ['hook'],
        events: ['down', 'up', 'degraded', 'flapping', 'certificate', 'reminder'],
        groupWaitMs: 30_000,
        remindEveryMs: 3_600_000,
        flapping: { transitions: 4, windowMs: 600_000 },
        certificateDays: 14,
      },
    ]);
  });

  it('names path and line for an unknown type, a malformed URL, an unknown key and bad references', () => {
    expect(
      problems(`${monitors}
notifiers:
  - id: pager
    type: pagerdooty
  - id: hook
    type: webhook
    url: "not a url"
  - id: hook2
    type: webhook
    url: http://127.0.0.1/x
    header: {}
alerts:
  - name: all
    notifiers: [hook, nobody]
    match: { monitors: [ghost] }
    events: [down, sideways]
`),
    ).toEqual([
      'alerts[0].events[1]: "sideways" is not one of "down", "up", "degraded", "flapping", "certificate", "reminder" (vigil.yaml:22:20)',
      // The notifiers' own problems come in the same pass; references are checked once the rest parses.
      'notifiers[0].type: unknown notifier type "pagerdooty"; use one of: webhook (vigil.yaml:10:11)',
      'notifiers[1].url: "not a url" is not a URL (vigil.yaml:13:10)',
      'notifiers[2].header: unknown key "header"; did you mean "headers"? (vigil.yaml:17:5)',
    ]);
    expect(
      problems(`${monitors}
notifiers:
  - id: pager
    type: pagerdooty
  - id: hook
    type: webhook
    url: "not a url"
  - id: hook2
    type: webhook
    url: http://127.0.0.1/x
    header: {}
alerts:
  - name: all
    notifiers: [hook, nobody]
    match: { monitors: [ghost] }
`),
    ).toEqual([
      'notifiers[0].type: unknown notifier type "pagerdooty"; use one of: webhook (vigil.yaml:10:11)',
      'notifiers[1].url: "not a url" is not a URL (vigil.yaml:13:10)',
      'notifiers[2].header: unknown key "header"; did you mean "headers"? (vigil.yaml:17:5)',
      'alerts[0].notifiers[1]: unknown notifier "nobody"; declare it under notifiers: (vigil.yaml:20:23)',
      'alerts[0].match.monitors[0]: unknown monitor "ghost" (vigil.yaml:21:25)',
    ]);
  });

  it('reports notifier types and settings in the same pass as the rest of the schema', () => {
    expect(
      problems(`
monitors:
  - id: api
    tcp: { host: 127.0.0.1, port: 99999 }
notifiers:
  - { id: a, type: slak, url: "http://127.0.0.1/" }
  - { id: b, type: webhook, url: "not a url" }
  - { id: c, type: webhook, timeout: soon, url: http://127.0.0.1/ }
`),
    ).toEqual([
      'monitors[0].tcp.port: 99999 is too big; must be at most 65535 (vigil.yaml:4:35)',
      'notifiers[2].timeout: "soon" is not a duration; write e.g. 30s, 5m, 1h30m, 250ms or a number of ms (vigil.yaml:8:38)',
      'notifiers[0].type: unknown notifier type "slak"; use one of: webhook (vigil.yaml:6:20)',
      'notifiers[1].url: "not a url" is not a URL (vigil.yaml:7:34)',
    ]);
  });

  it('refuses duplicate notifier ids and rule names', () => {
    expect(
      problems(`${monitors}
notifiers:
  - { id: a, type: webhook, url: "http://127.0.0.1/" }
  - { id: a, type: webhook, url: "http://127.0.0.1/" }
alerts:
  - { name: r, notifiers: [a] }
  - { name: r, notifiers: [a] }
`),
    ).toEqual([
      'notifiers[1].id: duplicate notifier id "a" (first at notifiers[0]) (vigil.yaml:10:11)',
      'alerts[1].name: duplicate alert rule "r" (vigil.yaml:13:13)',
    ]);
  });
});
