import { FakeClock } from '@vigil/resilience/testing';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub, type StubRequest } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { pagerduty } from './index.js';

const KEY = 'R0123456789abcdef0123456789abcde';

notifierContract(
  httpHarness(pagerduty, {
    config: (origin) => ({ routingKey: KEY, url: `${origin}/v2/enqueue` }),
    secrets: [KEY],
    urlKey: 'url',
    okStatus: 202,
    okBody: '{"status":"success","message":"Event processed","dedup_key":"x"}',
  }),
);

/**
 * A PagerDuty Events API v2 receiver: checks the required fields as PagerDuty does (400 "invalid event"
 * otherwise), keeps open incidents by dedup key, and flags a resolve that pairs with no trigger.
 */
function pagerDutyReceiver() {
  const open = new Map<string, string>();
  const problems: string[] = [];
  const validate = (req: StubRequest): string[] => {
    const e = JSON.parse(req.body) as Record<string, unknown>;
    const p = (e.payload ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    if (e.routing_key !== KEY) errors.push('routing_key wrong');
    if (!['trigger', 'acknowledge', 'resolve'].includes(String(e.event_action)))
      errors.push('event_action');
    if (typeof e.dedup_key !== 'string' || e.dedup_key === '' || e.dedup_key.length > 255)
      errors.push('dedup_key');
    if (e.event_action === 'trigger') {
      if (typeof p.summary !== 'string' || p.summary === '' || p.summary.length > 1024)
        errors.push('payload.summary');
      if (typeof p.source !== 'string' || p.source === '') errors.push('payload.source');
      if (!['critical', 'error', 'warning', 'info'].includes(String(p.severity)))
        errors.push('payload.severity');
      if (
        p.timestamp !== undefined &&
        (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))
      )
        errors.push('payload.timestamp');
    }
    return errors;
  };
  return {
    open,
    problems,
    handler: (req: StubRequest, res: ServerResponse) => {
      const errors = validate(req);
      if (errors.length > 0) {
        problems.push(...errors);
        res.writeHead(400).end(JSON.stringify({ status: 'invalid event', errors }));
        return;
      }
      const e = JSON.parse(req.body) as { event_action: string; dedup_key: string };
      if (e.event_action === 'trigger') open.set(e.dedup_key, req.body);
      else if (!open.delete(e.dedup_key)) problems.push(`resolve without trigger: ${e.dedup_key}`);
      res.writeHead(202).end(JSON.stringify({ status: 'success', dedup_key: e.dedup_key }));
    },
  };
}

describe('pagerduty', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('a trigger then a resolve pair up by dedup key at a validating receiver', async () => {
    const receiver = pagerDutyReceiver();
    stub = await httpStub(receiver.handler);
    const config = pagerduty.schema.parse({ routingKey: KEY, url: `${stub.origin}/v2/enqueue` });
    const down = alertMessage([alertEvent('db'), alertEvent('api')], '2 monitors down');
    const up = alertMessage([alertEvent('db', 'resolve', { at: T0 + 120_000 })]);
    for (const message of [down, up])
      for (const payload of pagerduty.render(message, config))
        expect(await pagerduty.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(receiver.problems).toEqual([]);
    expect([...receiver.open.keys()]).toEqual(['vigil-api']);
    expect(stub.requests).toHaveLength(3);
  });

  it('renders one event per monitor in a grouped message, with payload fields set', () => {
    const config = pagerduty.schema.parse({ routingKey: KEY, source: 'vigil-eu' });
    const payloads = pagerduty.render(alertMessage(manyEvents(3)), config);
    expect(payloads.map((p) => p.dedup_key)).toEqual(['vigil-m0', 'vigil-m1', 'vigil-m2']);
    expect(payloads[0]).toMatchObject({
      event_action: 'trigger',
      payload: {
        summary: 'm0 service (core) is DOWN: connection refused by m0.internal:5432',
        source: 'vigil-eu',
        severity: 'critical',
        timestamp: new Date(T0).toISOString(),
        component: 'm0',
        group: 'core',
        class: 'tcp',
        custom_details: {
          reason: 'connection refused by m0.internal:5432',
          latencyMs: 12,
          rule: 'oncall',
        },
      },
      links: [{ href: 'https://vigil.example.com/monitors/m0' }],
    });
  });

  it('keeps the dedup key of a monitor across trigger, reminder and resolve', () => {
    const config = pagerduty.schema.parse({ routingKey: KEY });
    const keys = (['trigger', 'reminder', 'resolve'] as const).map(
      (kind) => pagerduty.render(alertMessage([alertEvent('db', kind)]), config)[0]?.dedup_key,
    );
    expect(new Set(keys)).toEqual(new Set(['vigil-db']));
  });

  it.each([
    ['critical', {}, 'critical'],
    ['warning', {}, 'warning'],
    ['critical', { critical: 'error' }, 'error'],
    ['info', { info: 'warning' }, 'warning'],
  ] as const)('maps severity %s with %j to %s', (severity, severityMap, expected) => {
    const config = pagerduty.schema.parse({ routingKey: KEY, severityMap });
    const [payload] = pagerduty.render(
      alertMessage([alertEvent('db', 'trigger', { severity })]),
      config,
    );
    expect(payload?.payload?.severity).toBe(expected);
  });

  it('a resolve carries only the action and the dedup key', () => {
    const config = pagerduty.schema.parse({ routingKey: KEY });
    const [payload] = pagerduty.render(
      alertMessage([alertEvent('db', 'flapping-resolved')]),
      config,
    );
    expect(payload).toEqual({
      event_action: 'resolve',
      dedup_key: 'vigil-db',
      client: 'Vigil',
      client_url: 'https://vigil.example.com/monitors/db',
    });
  });

  it('refuses an empty routing key and an unknown severity in the map', () => {
    const result = pagerduty.schema.safeParse({ routingKey: ' ', severityMap: { critical: 'p1' } });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'routingKey',
      'severityMap.critical',
    ]);
  });
});
