import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { discord, type DiscordPayload } from './index.js';

const PATH = '/api/webhooks/123/tok-aAbBcCdDeEfF';

notifierContract(
  httpHarness(discord, {
    config: (origin) => ({ webhookUrl: `${origin}${PATH}` }),
    secrets: ['tok-aAbBcCdDeEfF'],
    urlKey: 'webhookUrl',
    okStatus: 204,
    okBody: '',
  }),
);

/** Discord's documented embed limits; `[]` when the message is within them. */
function embedProblems(p: DiscordPayload): string[] {
  const problems: string[] = [];
  if (p.content.length > 2000) problems.push('content > 2000');
  if (p.embeds.length > 10) problems.push('more than 10 embeds');
  let total = 0;
  for (const e of p.embeds) {
    if (e.title.length > 256) problems.push('title > 256');
    if (e.description.length > 4096) problems.push('description > 4096');
    if ((e.fields?.length ?? 0) > 25) problems.push('more than 25 fields');
    total += e.title.length + e.description.length + (e.footer?.text.length ?? 0);
    for (const f of e.fields ?? []) total += f.name.length + f.value.length;
  }
  if (total > 6000) problems.push(`embeds total ${total} > 6000`);
  return problems;
}

describe('discord', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });
  const config = discord.schema.parse({
    webhookUrl: `https://discord.com${PATH}`,
    username: 'Vigil',
  });

  it.each([1, 3, 10, 11, 1000])('%i events stay within the embed limits', (n) => {
    const [payload] = discord.render(alertMessage(manyEvents(n)), config);
    if (payload === undefined) throw new Error('no payload');
    expect(embedProblems(payload)).toEqual([]);
    expect(payload.embeds).toHaveLength(Math.min(n, 10));
    if (n > 10) expect(payload.embeds[9]?.title).toBe(`…and ${n - 9} more`);
  });

  it('colours embeds by kind and disables mentions', () => {
    const [payload] = discord.render(
      alertMessage([alertEvent('db'), alertEvent('api', 'resolve'), alertEvent('web', 'degraded')]),
      config,
    );
    expect(payload?.embeds.map((e) => e.color)).toEqual([0xe01e5a, 0x2eb67d, 0xecb22e]);
    expect(payload?.allowed_mentions).toEqual({ parse: [] });
    expect(payload?.username).toBe('Vigil');
  });

  it('honours retry_after from a 429 body that has no Retry-After header', async () => {
    stub = await httpStub((_req, res) =>
      res
        .writeHead(429)
        .end('{"message":"You are being rate limited.","retry_after":2.5,"global":false}'),
    );
    const local = discord.schema.parse({ webhookUrl: `${stub.origin}${PATH}` });
    const [payload] = discord.render(alertMessage([alertEvent('db')]), local);
    if (payload === undefined) throw new Error('no payload');
    expect(await discord.send(payload, local, ctx())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 2500,
    });
  });
});
