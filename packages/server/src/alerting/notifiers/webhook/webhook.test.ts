import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { webhook, webhookSignature } from './index.js';

const SECRET = 'hmac-key-5f1e2d3c';
const TOKEN = 'Bearer tok-9a8b7c6d5e';

notifierContract(
  httpHarness(webhook, {
    config: (origin) => ({
      url: `${origin}/hooks/vigil-7d9f2a41c3`,
      secret: SECRET,
      headers: { Authorization: TOKEN },
    }),
    secrets: [SECRET, TOKEN, '7d9f2a41c3'],
    urlKey: 'url',
    maxGroupChars: Infinity,
  }),
);

describe('webhook', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('refuses a template naming an unknown field, naming the field and its path', () => {
    const result = webhook.schema.safeParse({
      url: 'https://hooks.example.com/x',
      template: { text: '{{title}}', nested: [{ who: 'monitor {{monitor.nmae}} at {{at}}' }] },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.path).toEqual(['template', 'nested', 0, 'who']);
    expect(result.error?.issues[0]?.message).toContain('unknown field "{{monitor.nmae}}"');
  });

  it.each([
    ['bad header name', { headers: { 'Bad Header': 'x' } }, ['headers', 'Bad Header']],
    ['CRLF in a header value', { headers: { 'X-A': 'a\r\nX-B: b' } }, ['headers', 'X-A']],
    ['unknown method', { method: 'GET' }, ['method']],
  ])('refuses %s', (_name, extra, path) => {
    const result = webhook.schema.safeParse({ url: 'https://hooks.example.com/x', ...extra });
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it('fills a template: exact placeholders keep their type, embedded ones become text', () => {
    const config = webhook.schema.parse({
      url: 'https://hooks.example.com/x',
      template: {
        summary: '{{title}} ({{count}} events)',
        count: '{{count}}',
        monitor: '{{monitor.id}}',
        tags: '{{monitor.tags}}',
        at: '{{ at }}',
        names: '{{events}}',
        fixed: 42,
      },
    });
    const message = alertMessage([alertEvent('db'), alertEvent('api')], 'two down');
    const [payload] = webhook.render(message, config);
    expect(payload?.body).toMatchObject({
      summary: 'two down (2 events)',
      count: 2,
      monitor: 'db',
      tags: ['prod', 'db'],
      at: new Date(T0 + 60_000).toISOString(),
      fixed: 42,
    });
    expect((payload?.body as { names: unknown[] }).names).toHaveLength(2);
  });

  it('perEvent sends one body per event, each about its own event', () => {
    const config = webhook.schema.parse({
      url: 'https://hooks.example.com/x',
      perEvent: true,
      template: { id: '{{monitor.id}}', kind: '{{kind}}', of: '{{count}}' },
    });
    const payloads = webhook.render(alertMessage(manyEvents(3)), config);
    expect(payloads.map((p) => p.body)).toEqual([
      { id: 'm0', kind: 'trigger', of: 3 },
      { id: 'm1', kind: 'trigger', of: 3 },
      { id: 'm2', kind: 'trigger', of: 3 },
    ]);
  });

  it('without a template sends the message itself, all events in one body', () => {
    const config = webhook.schema.parse({ url: 'https://hooks.example.com/x' });
    const message = alertMessage(manyEvents(4));
    expect(webhook.render(message, config)).toEqual([{ body: message }]);
  });

  it('signs the exact body with HMAC-SHA256 and the receiver verifies it; method and headers as set', async () => {
    const verdicts: string[] = [];
    stub = await httpStub((req, res) => {
      const signature = req.headers['x-vigil-signature'];
      const ok = signature === webhookSignature(req.body, SECRET);
      verdicts.push(ok ? 'valid' : `invalid ${String(signature)}`);
      res.writeHead(ok ? 204 : 401).end();
    });
    const config = webhook.schema.parse({
      url: `${stub.origin}/in`,
      method: 'PUT',
      secret: SECRET,
      headers: { 'X-Team': 'ops', 'Content-Type': 'application/vnd.acme+json' },
      template: { text: '{{text}}' },
    });
    const message = alertMessage(manyEvents(2), 'Ünïcode & "quotes"');
    const [payload] = webhook.render(message, config);
    if (payload === undefined) throw new Error('no payload');
    expect(await webhook.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(verdicts).toEqual(['valid']);
    const req = stub.requests[0];
    expect(req?.method).toBe('PUT');
    expect(req?.headers['x-team']).toBe('ops');
    expect(req?.headers['content-type']).toBe('application/vnd.acme+json');
    expect(JSON.parse(req?.body ?? '')).toEqual(payload.body);

    const wrongKey = webhook.schema.parse({ ...config, secret: 'another-key' });
    const refused = await webhook.send(payload, wrongKey, ctx());
    expect(refused).toMatchObject({ ok: false, status: 401, retryable: false });
    expect(verdicts[1]).toMatch(/^invalid sha256=[0-9a-f]{64}$/);
  });

  it('sends no signature header without a secret, and a custom header name with one', async () => {
    stub = await httpStub((_req, res) => res.writeHead(200).end());
    const plain = webhook.schema.parse({ url: stub.origin });
    const named = webhook.schema.parse({
      url: stub.origin,
      secret: SECRET,
      signatureHeader: 'X-Sig',
    });
    for (const config of [plain, named]) {
      const [payload] = webhook.render(alertMessage([alertEvent('db')]), config);
      if (payload !== undefined) await webhook.send(payload, config, ctx());
    }
    expect(stub.requests[0]?.headers['x-vigil-signature']).toBeUndefined();
    expect(stub.requests[1]?.headers['x-sig']).toBe(
      webhookSignature(stub.requests[1]?.body ?? '', SECRET),
    );
  });
});
