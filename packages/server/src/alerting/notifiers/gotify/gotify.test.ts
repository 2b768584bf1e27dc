import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { gotify } from './index.js';

const TOKEN = 'AgotifyAppTok3n.x';

notifierContract(
  httpHarness(gotify, {
    config: (origin) => ({ url: `${origin}/gotify/`, token: TOKEN }),
    secrets: [TOKEN],
    urlKey: 'url',
  }),
);

describe('gotify', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('posts to /message with X-Gotify-Key, the worst priority and a click URL', async () => {
    stub = await httpStub((req, res) =>
      res.writeHead(req.headers['x-gotify-key'] === TOKEN ? 200 : 401).end('{"id":1}'),
    );
    const config = gotify.schema.parse({
      url: stub.origin,
      token: TOKEN,
      priorityMap: { critical: 9 },
    });
    const [payload] = gotify.render(alertMessage([alertEvent('db')]), config);
    if (payload === undefined) throw new Error('no payload');
    const ctx = { signal: new AbortController().signal, clock: new FakeClock({ startWall: T0 }) };
    expect(await gotify.send(payload, config, ctx)).toMatchObject({ ok: true });
    expect(stub.requests[0]?.url).toBe('/message');
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toMatchObject({
      title: 'db service is trigger',
      priority: 9,
      extras: {
        'client::notification': { click: { url: 'https://vigil.example.com/monitors/db' } },
      },
    });
  });

  it('needs a URL and a token', () => {
    const result = gotify.schema.safeParse({});
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(['url', 'token']);
  });
});
