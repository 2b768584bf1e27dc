import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { ntfy } from './index.js';

const TOKEN = 'tk_secret0123456789abcdef';

notifierContract(
  httpHarness(ntfy, {
    config: (origin) => ({ url: origin, topic: 'vigil-alerts', token: TOKEN }),
    secrets: [TOKEN],
    urlKey: 'url',
  }),
);

describe('ntfy', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('publishes JSON to the root with the topic, a Bearer token, priority and tags', async () => {
    stub = await httpStub((_req, res) => res.writeHead(200).end('{"id":"x"}'));
    const config = ntfy.schema.parse({
      url: stub.origin,
      topic: 'vigil',
      token: TOKEN,
      tags: ['prod'],
    });
    const [payload] = ntfy.render(
      alertMessage([alertEvent('db'), alertEvent('api', 'degraded')], 'two'),
      config,
    );
    if (payload === undefined) throw new Error('no payload');
    const ctx = { signal: new AbortController().signal, clock: new FakeClock({ startWall: T0 }) };
    expect(await ntfy.send(payload, config, ctx)).toMatchObject({ ok: true });
    const req = stub.requests[0];
    expect(req?.url).toBe('/');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(req?.body ?? '')).toEqual({
      topic: 'vigil',
      title: 'two',
      message:
        '- db service (core) is DOWN: connection refused by db.internal:5432\n- api service (core) is DEGRADED: connection refused by api.internal:5432',
      priority: 5,
      tags: ['rotating_light', 'prod'],
    });
  });

  it.each([
    ['warning', {}, 3],
    ['info', {}, 2],
    ['critical', { critical: 4 }, 4],
  ] as const)('priority of a %s alert with %j is %i', (severity, priorityMap, expected) => {
    const config = ntfy.schema.parse({ topic: 't', priorityMap });
    const [payload] = ntfy.render(
      alertMessage([alertEvent('db', 'trigger', { severity })]),
      config,
    );
    expect(payload?.priority).toBe(expected);
  });

  it('a resolve has the default priority, a check-mark tag and a click to the monitor', () => {
    const [payload] = ntfy.render(
      alertMessage([alertEvent('db', 'resolve')]),
      ntfy.schema.parse({ topic: 't' }),
    );
    expect(payload).toMatchObject({
      priority: 3,
      tags: ['white_check_mark'],
      click: 'https://vigil.example.com/monitors/db',
    });
  });
});
