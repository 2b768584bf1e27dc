import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { opsgenie } from './index.js';

const KEY = 'og-key-0c1d2e3f4a5b';

notifierContract(
  httpHarness(opsgenie, {
    config: (origin) => ({ apiKey: KEY, url: origin }),
    secrets: [KEY],
    urlKey: 'url',
    okStatus: 202,
    okBody: '{"result":"Request will be processed","requestId":"r1"}',
  }),
);

describe('opsgenie', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('creates alerts by alias and closes them by alias at a validating receiver', async () => {
    const open = new Set<string>();
    const problems: string[] = [];
    stub = await httpStub((req, res) => {
      if (req.headers.authorization !== `GenieKey ${KEY}`) problems.push('authorization');
      const body = JSON.parse(req.body) as Record<string, unknown>;
      const close = /^\/v2\/alerts\/([^/?]+)\/close\?identifierType=alias$/.exec(req.url);
      if (req.url === '/v2/alerts') {
        const message = body.message;
        if (typeof message !== 'string' || message === '' || message.length > 130)
          problems.push('message');
        if (!['P1', 'P2', 'P3', 'P4', 'P5'].includes(String(body.priority)))
          problems.push('priority');
        open.add(String(body.alias));
      } else if (close !== null) {
        if (!open.delete(decodeURIComponent(close[1] ?? '')))
          problems.push(`close without alert: ${req.url}`);
      } else problems.push(`unexpected ${req.url}`);
      res.writeHead(problems.length === 0 ? 202 : 422).end('{}');
    });
    const config = opsgenie.schema.parse({ apiKey: KEY, url: stub.origin, teams: ['ops'] });
    const messages = [
      alertMessage([alertEvent('db'), alertEvent('api', 'degraded')]),
      alertMessage([alertEvent('db', 'resolve')]),
    ];
    for (const message of messages)
      for (const payload of opsgenie.render(message, config))
        expect(await opsgenie.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(problems).toEqual([]);
    expect([...open]).toEqual(['vigil-api']);
    expect(JSON.parse(stub.requests[1]?.body ?? '')).toMatchObject({
      priority: 'P3',
      responders: [{ type: 'team', name: 'ops' }],
      entity: 'api',
    });
  });

  it('maps severities to priorities, overridable', () => {
    const config = opsgenie.schema.parse({ apiKey: KEY, priorityMap: { critical: 'P2' } });
    const priority = (severity: 'critical' | 'info') =>
      opsgenie.render(alertMessage([alertEvent('db', 'trigger', { severity })]), config)[0];
    expect(priority('critical')).toMatchObject({ body: { priority: 'P2' } });
    expect(priority('info')).toMatchObject({ body: { priority: 'P5' } });
  });
});
