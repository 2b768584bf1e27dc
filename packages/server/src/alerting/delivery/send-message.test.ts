import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { NotifierConfig } from '../../config/index.js';
import type { AlertMessage } from '../alert.js';
import { defineNotifier } from '../notifier.js';
import { sendMessage } from './send-message.js';

const config: NotifierConfig = {
  id: 'n',
  type: 't',
  timeoutMs: 1000,
  concurrency: 1,
  settings: {},
};
const message: AlertMessage = { rule: 'r', title: 't', events: [] };
const signal = new AbortController().signal;

const notifier = (behaviour: {
  render?: () => readonly string[];
  send: (payload: string) => Promise<{ ok: true }>;
}) =>
  defineNotifier({
    type: 't',
    description: 'test',
    schema: z.object({}),
    render: behaviour.render ?? (() => ['a', 'b']),
    send: (payload: string) => behaviour.send(payload),
  });

describe('sendMessage', () => {
  it('sends every payload in turn and reports how many went', async () => {
    const sent: string[] = [];
    const n = notifier({ send: (p) => (sent.push(p), Promise.resolve({ ok: true })) });
    const out = await sendMessage(n, config, message, new FakeClock(), signal);
    expect(out).toMatchObject({ result: { ok: true }, sent: 2 });
    expect(sent).toEqual(['a', 'b']);
  });

  it('a render that throws is a failure retrying cannot fix', async () => {
    const n = notifier({
      render: () => {
        throw new Error('unknown field {{monitor.nmae}}');
      },
      send: () => Promise.resolve({ ok: true }),
    });
    const out = await sendMessage(n, config, message, new FakeClock(), signal);
    expect(out.result).toEqual({
      ok: false,
      retryable: false,
      error: 'n: render failed: unknown field {{monitor.nmae}}',
    });
  });

  it('a send that ignores its signal is abandoned at the timeout; a throw is retryable', async () => {
    const clock = new FakeClock();
    const hang = notifier({ send: () => new Promise(() => {}) });
    const pending = sendMessage(hang, config, message, clock, signal);
    await clock.advance(999);
    let done = false;
    void pending.then(() => (done = true));
    await clock.flush();
    expect(done).toBe(false);
    await clock.advance(1);
    expect((await pending).result).toEqual({
      ok: false,
      retryable: true,
      error: 'n: timed out after 1000 ms',
    });
    const throws = notifier({ send: () => Promise.reject(new Error('socket hang up')) });
    const out = await sendMessage(throws, config, message, clock, signal);
    expect(out).toMatchObject({
      sent: 0,
      result: { ok: false, retryable: true, error: 'n: socket hang up' },
    });
  });
});
