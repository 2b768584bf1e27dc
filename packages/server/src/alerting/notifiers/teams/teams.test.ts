import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { teams } from './index.js';

const PATH = '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGsecret123';

notifierContract(
  httpHarness(teams, {
    config: (origin) => ({ webhookUrl: `${origin}${PATH}` }),
    secrets: ['SIGsecret123'],
    urlKey: 'webhookUrl',
    okStatus: 202,
    okBody: '',
  }),
);

/** Checks an Adaptive Card element tree (the elements Vigil uses); returns the problems found. */
function elementProblems(element: Record<string, unknown>, where: string): string[] {
  switch (element.type) {
    case 'TextBlock':
      return typeof element.text === 'string' && element.text !== ''
        ? []
        : [`${where}: TextBlock.text`];
    case 'FactSet': {
      const facts = element.facts as { title?: unknown; value?: unknown }[] | undefined;
      return Array.isArray(facts) &&
        facts.length > 0 &&
        facts.every((f) => typeof f.title === 'string' && typeof f.value === 'string')
        ? []
        : [`${where}: FactSet.facts`];
    }
    case 'Container': {
      const items = element.items as Record<string, unknown>[] | undefined;
      if (!Array.isArray(items) || items.length === 0) return [`${where}: Container.items`];
      return items.flatMap((item, i) => elementProblems(item, `${where}.items[${i}]`));
    }
    default:
      return [`${where}: unknown element ${String(element.type)}`];
  }
}

/** What a Teams workflow accepts: a message with one Adaptive Card attachment. */
function teamsProblems(body: Record<string, unknown>): string[] {
  if (body.type !== 'message') return ['type must be "message"'];
  const attachments = body.attachments as Record<string, unknown>[] | undefined;
  if (!Array.isArray(attachments) || attachments.length !== 1) return ['one attachment'];
  const a = attachments[0] ?? {};
  if (a.contentType !== 'application/vnd.microsoft.card.adaptive') return ['contentType'];
  const card = a.content as Record<string, unknown>;
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push('content.type');
  if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version))
    problems.push('version');
  const cardBody = card.body as Record<string, unknown>[] | undefined;
  if (!Array.isArray(cardBody) || cardBody.length === 0) problems.push('body');
  else problems.push(...cardBody.flatMap((e, i) => elementProblems(e, `body[${i}]`)));
  for (const action of (card.actions ?? []) as Record<string, unknown>[])
    if (action.type !== 'Action.OpenUrl' || typeof action.url !== 'string') problems.push('action');
  if (JSON.stringify(body).length > 28_000) problems.push('larger than 28 KB');
  return problems;
}

describe('teams', () => {
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
    ['a grouped message', manyEvents(4)],
    ['1,000 events', manyEvents(1000)],
  ])('%s is a valid Adaptive Card at a validating receiver', async (_name, events) => {
    const problems: string[] = [];
    stub = await httpStub((req, res) => {
      problems.push(...teamsProblems(JSON.parse(req.body) as Record<string, unknown>));
      res.writeHead(problems.length === 0 ? 202 : 400).end();
    });
    const config = teams.schema.parse({ webhookUrl: `${stub.origin}${PATH}` });
    const [payload] = teams.render(alertMessage(events), config);
    if (payload === undefined) throw new Error('no payload');
    expect(await teams.send(payload, config, ctx())).toMatchObject({ ok: true });
    expect(problems).toEqual([]);
  });

  it('details up to maxListed events with their facts, then counts the rest', () => {
    const config = teams.schema.parse({ webhookUrl: `https://example.com${PATH}`, maxListed: 2 });
    const [payload] = teams.render(alertMessage(manyEvents(5), '5 down'), config);
    const body = payload?.attachments[0].content.body ?? [];
    expect(body.map((e) => e.type)).toEqual([
      'TextBlock',
      'Container',
      'Container',
      'TextBlock',
      'TextBlock',
    ]);
    expect(body[3]).toMatchObject({ text: '…and 3 more' });
    const facts = body[1]?.type === 'Container' ? body[1].items[1] : undefined;
    expect(facts).toMatchObject({
      type: 'FactSet',
      facts: expect.arrayContaining([{ title: 'Status', value: 'up → down' }]) as unknown,
    });
  });
});
