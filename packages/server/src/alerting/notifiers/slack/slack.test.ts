import { FakeClock } from '@vigil/resilience/testing';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub, type StubRequest } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { slack } from './index.js';

const PATH = '/services/T000/B000/XXXXsecretXXXX';

notifierContract(
  httpHarness(slack, {
    config: (origin) => ({ webhookUrl: `${origin}${PATH}` }),
    secrets: ['XXXXsecretXXXX'],
    urlKey: 'webhookUrl',
    okBody: 'ok',
  }),
);

/** Checks a message as Slack's Block Kit does (a subset: the blocks Vigil builds); `[]` when valid. */
function blockKitProblems(body: unknown): string[] {
  const problems: string[] = [];
  const m = body as { text?: unknown; blocks?: unknown };
  if (typeof m.text !== 'string' || m.text === '') problems.push('text (the fallback) is required');
  if (!Array.isArray(m.blocks) || m.blocks.length === 0 || m.blocks.length > 50)
    return [...problems, 'blocks: 1 to 50 blocks'];
  m.blocks.forEach((b: Record<string, unknown>, i) => {
    const text = b.text as { type?: unknown; text?: unknown } | undefined;
    const where = `blocks[${i}]`;
    if (b.type === 'header') {
      if (text?.type !== 'plain_text') problems.push(`${where}: header text must be plain_text`);
      if (typeof text?.text !== 'string' || text.text.length > 150)
        problems.push(`${where}: header text up to 150 chars`);
    } else if (b.type === 'section') {
      if (text?.type !== 'mrkdwn' && text?.type !== 'plain_text')
        problems.push(`${where}: text type`);
      if (typeof text?.text !== 'string' || text.text === '' || text.text.length > 3000)
        problems.push(`${where}: section text 1 to 3000 chars`);
    } else if (b.type === 'context') {
      const elements = b.elements as unknown[] | undefined;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
        problems.push(`${where}: context 1 to 10 elements`);
    } else if (b.type !== 'divider')
      problems.push(`${where}: unknown block type ${String(b.type)}`);
  });
  return problems;
}

function slackReceiver() {
  const problems: string[] = [];
  return {
    problems,
    handler: (req: StubRequest, res: ServerResponse) => {
      const found = req.url === PATH ? blockKitProblems(JSON.parse(req.body)) : ['wrong path'];
      problems.push(...found);
      if (found.length > 0) res.writeHead(400).end('invalid_blocks');
      else res.writeHead(200).end('ok');
    },
  };
}

describe('slack', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it.each([
    ['one event', [alertEvent('db')]],
    ['a grouped message', manyEvents(5)],
    ['a partition of 1,000 monitors', manyEvents(1000)],
    ['a resolve', [alertEvent('db', 'resolve')]],
  ])('%s passes a Block Kit-validating receiver', async (_name, events) => {
    const receiver = slackReceiver();
    stub = await httpStub(receiver.handler);
    const config = slack.schema.parse({ webhookUrl: `${stub.origin}${PATH}` });
    const payloads = slack.render(alertMessage(events), config);
    expect(payloads).toHaveLength(1);
    for (const payload of payloads)
      expect(await slack.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(receiver.problems).toEqual([]);
  });

  it('lists up to maxListed events and counts the rest', () => {
    const config = slack.schema.parse({ webhookUrl: 'https://hooks.slack.com/x', maxListed: 3 });
    const [payload] = slack.render(alertMessage(manyEvents(10), '10 monitors down'), config);
    const texts = payload?.blocks.map((b) =>
      'text' in b ? b.text.text : 'elements' in b ? b.elements[0]?.text : '',
    );
    expect(texts?.[0]).toBe('10 monitors down');
    expect(texts?.slice(1, 4).every((t) => t?.includes(':red_circle:'))).toBe(true);
    expect(texts?.[4]).toBe('…and 7 more');
    expect(texts?.[5]).toContain('10 events');
    expect(payload?.text).toBe('10 monitors down');
  });

  it('escapes mrkdwn control characters and links the monitor', () => {
    const config = slack.schema.parse({
      webhookUrl: 'https://hooks.slack.com/x',
      username: 'Vigil',
    });
    const event = alertEvent('db', 'trigger', { reason: 'expected <b> & got <i>' });
    const [payload] = slack.render(alertMessage([event]), config);
    const section = payload?.blocks[1];
    expect(section?.type === 'section' && section.text.text).toContain(
      '*<https://vigil.example.com/monitors/db|db service>* is *DOWN*',
    );
    expect(section?.type === 'section' && section.text.text).toContain(
      'expected &lt;b&gt; &amp; got &lt;i&gt;',
    );
    expect(payload?.username).toBe('Vigil');
  });
});
