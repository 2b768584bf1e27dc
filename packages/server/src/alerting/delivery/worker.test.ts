import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type AlertReceiver } from '../../../test/alert-receiver.js';
import { alertingHarness, type AlertingHarness } from '../../../test/alerting-harness.js';
import { SECOND, changed } from '../../../test/store-events.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const monitors = (n: number) =>
  Array.from({ length: n }, (_, i) => `  - { id: m${i}, tcp: { host: 127.0.0.1, port: 1 } }`).join(
    '\n',
  );

async function setup(
  notifiers: string,
  rules: string,
  n = 3,
  worker: Parameters<typeof alertingHarness>[1] = {},
): Promise<AlertingHarness> {
  const h = await alertingHarness(
    `monitors:\n${monitors(n)}\nnotifiers:\n${notifiers}\nalerts:\n${rules}\n`,
    worker,
  );
  cleanup.push(() => h.close());
  return h;
}

async function receiver(): Promise<AlertReceiver> {
  const r = await startReceiver();
  cleanup.push(() => r.close());
  return r;
}

/** Records a change the way the app does: with the router's intents, then wakes the worker. */
async function change(h: AlertingHarness, id: string, from: 'up' | 'down', to: 'up' | 'down') {
  const event = changed(id, from, to, h.clock.now());
  const intents = h.router.onChange(event);
  await h.store.recordChange(event, intents);
  h.worker.wake(Math.min(...intents.map((i) => i.notBefore ?? 0)));
}

const seq = (r: AlertReceiver) => r.accepted.map((e) => `${e.monitor.id}:${e.kind}`);

describe('DeliveryWorker', () => {
  it('delivers each alert once, in order per monitor, and logs every attempt', async () => {
    const r = await receiver();
    const h = await setup(
      `  - { id: hook, type: test-webhook, url: "${r.url}" }`,
      `  - { name: all, notifiers: [hook] }`,
    );
    await h.worker.start();
    await change(h, 'm0', 'up', 'down');
    await change(h, 'm1', 'up', 'down');
    await change(h, 'm0', 'down', 'up');
    expect(await h.drive(() => r.accepted.length === 3)).toBe(true);
    expect(seq(r)).toEqual(['m0:trigger', 'm1:trigger', 'm0:resolve']);
    expect(r.requests.map((q) => q.message.title)).toEqual([
      'm0 is DOWN',
      'm1 is DOWN',
      'm0 is UP again',
    ]);
    await h.drive(async () => (await h.store.outbox.list({ status: 'delivered' })).length === 3);
    const log = await h.store.outbox.deliveries();
    expect(log.map((d) => [d.outcome, d.attempt, d.detail])).toEqual([
      ['delivered', 1, 'HTTP 200'],
      ['delivered', 1, 'HTTP 200'],
      ['delivered', 1, 'HTTP 200'],
    ]);
  });

  it("holds a paused notifier's alerts (its flag is off) and sends them in order once it is on again", async () => {
    const r = await receiver();
    const other = await receiver();
    let off = true;
    const h = await setup(
      `  - { id: hook, type: test-webhook, url: "${r.url}" }\n  - { id: other, type: test-webhook, url: "${other.url}" }`,
      `  - { name: all, notifiers: [hook, other] }`,
      3,
      { worker: { paused: (id) => off && id === 'hook' } },
    );
    await h.worker.start();
    await change(h, 'm0', 'up', 'down');
    await change(h, 'm0', 'down', 'up');
    expect(await h.drive(() => other.accepted.length === 2)).toBe(true);
    await h.clock.advance(30 * SECOND); // many polls: nothing goes to the paused one
    expect(r.requests).toHaveLength(0);
    off = false;
    expect(await h.drive(() => r.accepted.length === 2)).toBe(true);
    expect(seq(r)).toEqual(['m0:trigger', 'm0:resolve']);
  });

  it('groups the events of a rule within groupWait into one message, sent when the group falls due', async () => {
    const r = await receiver();
    const h = await setup(
      `  - { id: hook, type: test-webhook, url: "${r.url}" }`,
      `  - { name: all, notifiers: [hook], groupWait: 30s }`,
      20,
      // Polls seldom: the group must go out when it falls due, not at the next poll.
      { worker: { pollMs: 7000 } },
    );
    await h.worker.start();
    const t0 = h.clock.now();
    for (let i = 0; i < 20; i++) {
      await change(h, `m${i}`, 'up', 'down');
      await h.clock.advance(SECOND);
    }
    expect(await h.drive(() => r.accepted.length === 20, 100)).toBe(true);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]?.message.title).toBe('20 monitors down (rule all)');
    expect(h.clock.now() - t0).toBeLessThanOrEqual(30 * SECOND + 100);
  });

  it('retries on a backoff, honours Retry-After, gives up on a 4xx, and keeps a resolve behind its trigger', async () => {
    const r = await receiver();
    const h = await setup(
      `  - { id: hook, type: test-webhook, url: "${r.url}" }`,
      `  - { name: all, notifiers: [hook] }`,
    );
    await h.worker.start();
    r.mode = { status: 429, headers: { 'retry-after': '20' } };
    const t0 = h.clock.now();
    await change(h, 'm0', 'up', 'down');
    await h.drive(() => r.requests.length === 1);
    r.mode = { status: 200 };
    await change(h, 'm0', 'down', 'up');
    expect(await h.drive(() => r.accepted.length === 2)).toBe(true);
    expect(seq(r)).toEqual(['m0:trigger', 'm0:resolve']);
    // Retried no sooner than Retry-After said.
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(20 * SECOND);
    r.mode = { status: 400 };
    await change(h, 'm1', 'up', 'down');
    await h.drive(async () => (await h.store.outbox.list({ status: 'failed' })).length === 1);
    const [failed] = await h.store.outbox.list({ status: 'failed' });
    expect(failed).toMatchObject({ monitorId: 'm1', attempts: 1 });
    expect(failed?.lastError).toMatch(/HTTP 400/);
    const log = await h.store.outbox.deliveries();
    expect(log.map((d) => [d.outcome, d.detail])).toEqual([
      ['failed', 'HTTP 400'],
      ['delivered', 'HTTP 200'],
      ['delivered', 'HTTP 200'],
      ['failed', 'HTTP 429'],
    ]);
  });

  it('a notifier that hangs forever holds up neither the others nor itself past its timeout', async () => {
    const good = await receiver();
    const stuck = await receiver();
    stuck.mode = 'hang';
    const h = await setup(
      `  - { id: good, type: test-webhook, url: "${good.url}" }\n  - { id: stuck, type: test-webhook, url: "${stuck.url}", timeout: 5s, concurrency: 1 }`,
      `  - { name: all, notifiers: [stuck, good] }`,
    );
    await h.worker.start();
    for (let i = 0; i < 3; i++) await change(h, `m${i}`, 'up', 'down');
    expect(await h.drive(() => good.accepted.length === 3, 10, 1000)).toBe(true);
    expect(stuck.requests).toHaveLength(1);
    await h.drive(async () =>
      (await h.store.outbox.deliveries()).some((d) => d.error?.includes('timed out') === true),
    );
    const log = await h.store.outbox.deliveries();
    expect(log.find((d) => d.outcome === 'failed')?.error).toMatch(
      /stuck: timed out after 5000 ms/,
    );
  });
});
