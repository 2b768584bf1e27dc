import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { pushover } from './index.js';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

notifierContract(
  httpHarness(pushover, {
    config: (origin) => ({ url: origin, token: TOKEN, user: USER }),
    secrets: [TOKEN, USER],
    urlKey: 'url',
    okBody: '{"status":1,"request":"r"}',
  }),
);

describe('pushover', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('posts token, user and an HTML message to /1/messages.json; status 0 is refused', async () => {
    stub = await httpStub((req, res) => {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      const ok = req.url === '/1/messages.json' && body.token === TOKEN && body.user === USER;
      res.writeHead(ok ? 200 : 400).end(ok ? '{"status":1}' : '{"status":0,"errors":["bad"]}');
    });
    const config = pushover.schema.parse({
      url: stub.origin,
      token: TOKEN,
      user: USER,
      sound: 'siren',
    });
    const [payload] = pushover.render(alertMessage([alertEvent('db')]), config);
    if (payload === undefined) throw new Error('no payload');
    expect(await pushover.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toMatchObject({
      html: 1,
      priority: 1,
      sound: 'siren',
      timestamp: Math.floor((T0 + 60_000) / 1000),
      url: 'https://vigil.example.com/monitors/db',
    });
    const wrong = pushover.schema.parse({ url: stub.origin, token: 'wrong-token', user: USER });
    expect(await pushover.send(payload, wrong, ctx())).toMatchObject({
      ok: false,
      retryable: false,
      status: 400,
    });
  });

  it('keeps 1,000 events within 1,024 characters', () => {
    const config = pushover.schema.parse({ token: TOKEN, user: USER });
    const [payload] = pushover.render(alertMessage(manyEvents(1000)), config);
    expect(payload?.message.length).toBeLessThanOrEqual(1024);
    expect(payload?.message).toMatch(/…and \d+ more$/);
  });

  it('an emergency priority carries retry and expire', () => {
    const config = pushover.schema.parse({
      token: TOKEN,
      user: USER,
      priorityMap: { critical: 2 },
    });
    const [payload] = pushover.render(alertMessage([alertEvent('db')]), config);
    expect(payload).toMatchObject({ priority: 2, retry: 60, expire: 3600 });
  });
});
