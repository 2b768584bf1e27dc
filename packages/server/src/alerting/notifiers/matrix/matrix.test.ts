import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { matrix } from './index.js';

const TOKEN = 'syt_dmlnaWw_secretsecret_0abc12';
const ROOM = '!ops:example.org';

notifierContract(
  httpHarness(matrix, {
    config: (origin) => ({ homeserverUrl: origin, accessToken: TOKEN, roomId: ROOM }),
    secrets: [TOKEN],
    urlKey: 'homeserverUrl',
    okBody: '{"event_id":"$1"}',
  }),
);

describe('matrix', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('PUTs m.room.message under a txn id; a retried send is the same transaction, stored once', async () => {
    const events = new Map<string, unknown>();
    const problems: string[] = [];
    stub = await httpStub((req, res) => {
      const m = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(
        req.url,
      );
      if (req.method !== 'PUT' || m === null) problems.push(`${req.method} ${req.url}`);
      if (decodeURIComponent(m?.[1] ?? '') !== ROOM) problems.push('room');
      if (req.headers.authorization !== `Bearer ${TOKEN}`) problems.push('authorization');
      const content = JSON.parse(req.body) as Record<string, unknown>;
      if (content.msgtype !== 'm.notice' || typeof content.body !== 'string')
        problems.push('content');
      if (content.format !== 'org.matrix.custom.html' || typeof content.formatted_body !== 'string')
        problems.push('html');
      events.set(m?.[2] ?? '', content); // idempotent per txn id, as the spec requires
      res.writeHead(200).end('{"event_id":"$e"}');
    });
    const config = matrix.schema.parse({
      homeserverUrl: stub.origin,
      accessToken: TOKEN,
      roomId: ROOM,
    });
    const message = alertMessage(manyEvents(3));
    const [payload] = matrix.render(message, config);
    if (payload === undefined) throw new Error('no payload');
    await matrix.send(payload, config, ctx());
    const [again] = matrix.render(message, config);
    if (again !== undefined) await matrix.send(again, config, ctx());
    const [other] = matrix.render(alertMessage([alertEvent('db', 'resolve')]), config);
    if (other !== undefined) await matrix.send(other, config, ctx());
    expect(problems).toEqual([]);
    expect(stub.requests).toHaveLength(3);
    expect(events.size).toBe(2);
    expect(payload.content.body).toContain('m2 service (core) is DOWN');
    expect(payload.content.formatted_body).toContain('<b>m0 service</b>');
  });

  it('honours retry_after_ms of M_LIMIT_EXCEEDED', async () => {
    stub = await httpStub((_req, res) =>
      res
        .writeHead(429)
        .end('{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}'),
    );
    const config = matrix.schema.parse({
      homeserverUrl: stub.origin,
      accessToken: TOKEN,
      roomId: ROOM,
    });
    const [payload] = matrix.render(alertMessage([alertEvent('db')]), config);
    if (payload === undefined) throw new Error('no payload');
    expect(await matrix.send(payload, config, ctx())).toMatchObject({
      ok: false,
      retryAfterMs: 2000,
    });
  });

  it('refuses a room alias (the API needs the room id)', () => {
    const result = matrix.schema.safeParse({
      homeserverUrl: 'https://m.org',
      accessToken: TOKEN,
      roomId: '#ops:m.org',
    });
    expect(result.error?.issues[0]?.message).toContain('is not a room id');
  });
});
