import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { httpStub, type HttpStub } from '../../../../test/http-stub.js';
import { httpHarness, notifierContract } from '../notifier.contract.js';
import { telegram } from './index.js';

const TOKEN = '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

notifierContract(
  httpHarness(telegram, {
    config: (origin) => ({ botToken: TOKEN, chatId: -1001234567890, url: origin }),
    secrets: [TOKEN],
    urlKey: 'url',
    okBody: '{"ok":true,"result":{"message_id":1}}',
  }),
);

/** The HTML Telegram accepts from us: only <b> and <a href>, balanced, and no bare `<` or `&`. */
function htmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stripped = text.replace(/<\/?b>|<a href="[^"<>]*">|<\/a>/g, '');
  if (/[<>]/.test(stripped)) problems.push('unescaped < or > or an unsupported tag');
  if (/&(?!amp;|lt;|gt;|quot;)/.test(stripped)) problems.push('bare &');
  if ((text.match(/<b>/g) ?? []).length !== (text.match(/<\/b>/g) ?? []).length)
    problems.push('unbalanced <b>');
  if (text.length > 4096) problems.push('longer than 4096');
  return problems;
}

describe('telegram', () => {
  let stub: HttpStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });
  const config = telegram.schema.parse({ botToken: TOKEN, chatId: '@ops' });

  it.each([
    [
      'a hostile reason',
      [alertEvent('db', 'trigger', { reason: 'got <script>alert("x")</script> & 5 > 3' })],
    ],
    ['a hostile monitor name', [alertEvent('a<b>&c')]],
    ['1,000 events', manyEvents(1000)],
  ])('escapes HTML and stays within limits: %s', (_name, events) => {
    const [payload] = telegram.render(alertMessage(events), config);
    expect(payload?.parse_mode).toBe('HTML');
    expect(htmlProblems(payload?.text ?? '')).toEqual([]);
  });

  it('sends sendMessage to /bot<token>/ and honours parameters.retry_after; ok:false is refused', async () => {
    const answers = [
      [200, '{"ok":true,"result":{}}'],
      [
        429,
        '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}',
      ],
      [200, '{"ok":false,"description":"chat not found"}'],
    ] as const;
    stub = await httpStub((req, res) => {
      const [status, body] = answers[
        stub?.requests.length === undefined ? 0 : stub.requests.length - 1
      ] ?? [500, ''];
      res.writeHead(req.url === `/bot${TOKEN}/sendMessage` ? status : 404).end(body);
    });
    const local = telegram.schema.parse({
      botToken: TOKEN,
      chatId: 42,
      url: stub.origin,
      messageThreadId: 7,
    });
    const [payload] = telegram.render(alertMessage([alertEvent('db')]), local);
    if (payload === undefined) throw new Error('no payload');
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await telegram.send(payload, local, ctx()));
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, retryable: true, retryAfterMs: 35_000 });
    expect(results[2]).toMatchObject({ ok: false, retryable: false });
    expect(JSON.parse(stub.requests[0]?.body ?? '')).toMatchObject({
      chat_id: '42',
      message_thread_id: 7,
    });
  });

  it('refuses a malformed bot token', () => {
    expect(
      telegram.schema.safeParse({ botToken: 'nope', chatId: 1 }).error?.issues[0]?.path,
    ).toEqual(['botToken']);
  });
});
