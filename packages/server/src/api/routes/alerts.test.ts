import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../../../test/api-harness.js';
import { changed } from '../../../test/store-events.js';
import { openSqliteStore, resolveRetention, type Store } from '../../store/index.js';
import { alertRoutes } from './alerts.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-api-'));
let store: Store;
let h: ApiHarness;
let ids: number[];
beforeAll(async () => {
  const clock = new FakeClock();
  store = await openSqliteStore({
    path: join(dir, 'vigil.db'),
    clock,
    retention: resolveRetention({}),
    pruneIntervalMs: null,
  });
  await store.syncMonitors([
    { id: 'api', name: 'API', group: 'web', kind: 'tcp', intervalMs: 60_000 },
  ]);
  const receipt = await store.recordChange(changed('api', 'up', 'down', clock.now()), [
    {
      notifierId: 'hook',
      eventKind: 'trigger',
      payload: { rule: 'ops' },
      dedupKey: 'vigil/ops/api',
    },
    {
      notifierId: 'pager',
      eventKind: 'trigger',
      payload: { rule: 'ops' },
      dedupKey: 'vigil/ops/api',
    },
  ]);
  ids = [...receipt.outboxIds];
  const [a, b] = ids as [number, number];
  await store.outbox.claim({ owner: 'w' });
  await store.outbox.failed(a, {
    owner: 'w',
    error: 'HTTP 503 from 127.0.0.1',
    retryAt: clock.now(),
    detail: 'HTTP 503',
    durationMs: 4,
  });
  await store.outbox.claim({ owner: 'w' });
  await store.outbox.delivered(a, { owner: 'w', detail: 'HTTP 200', durationMs: 3 });
  await store.outbox.failed(b, {
    owner: 'w',
    error: 'HTTP 400',
    retryAt: null,
    detail: 'HTTP 400',
  });
  h = await apiHarness({ routes: alertRoutes(store.outbox) });
});
afterAll(async () => {
  await h.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('alert routes', () => {
  it('lists the outbox by status and monitor, and pages it', async () => {
    const all = await h.request('GET', '/api/v1/alerts', { token: h.tokens.read });
    expect(all.statusCode).toBe(200);
    const body = JSON.parse(all.body) as {
      items: { id: number; status: string; attempts: number }[];
      next: number | null;
    };
    expect(body.items.map((i) => [i.status, i.attempts])).toEqual([
      ['delivered', 2],
      ['failed', 1],
    ]);
    const failed = JSON.parse(
      (await h.request('GET', '/api/v1/alerts?status=failed&monitor=api', { token: h.tokens.read }))
        .body,
    ) as typeof body;
    expect(failed.items.map((i) => i.id)).toEqual([ids[1]]);
    const page = JSON.parse(
      (await h.request('GET', '/api/v1/alerts?limit=1', { token: h.tokens.read })).body,
    ) as typeof body;
    expect(page).toMatchObject({ items: [{ id: ids[0] }], next: ids[0] });
    const bad = await h.request('GET', '/api/v1/alerts?status=lost', { token: h.tokens.read });
    expect(bad.statusCode).toBe(400);
    expect((await h.request('GET', '/api/v1/alerts')).statusCode).toBe(401);
  });

  it('shows one alert with its attempts, and the delivery log newest first', async () => {
    const one = await h.request('GET', `/api/v1/alerts/${ids[0]}`, { token: h.tokens.read });
    expect(JSON.parse(one.body)).toMatchObject({
      notifierId: 'hook',
      eventKind: 'trigger',
      dedupKey: 'vigil/ops/api',
      status: 'delivered',
      deliveries: [
        { attempt: 2, outcome: 'delivered', detail: 'HTTP 200', durationMs: 3 },
        { attempt: 1, outcome: 'failed', detail: 'HTTP 503', error: 'HTTP 503 from 127.0.0.1' },
      ],
    });
    expect(
      (await h.request('GET', '/api/v1/alerts/999', { token: h.tokens.read })).statusCode,
    ).toBe(404);
    const log = JSON.parse(
      (await h.request('GET', '/api/v1/alerts/deliveries', { token: h.tokens.read })).body,
    ) as {
      items: { outboxId: number; outcome: string; detail: string }[];
    };
    expect(log.items.map((d) => [d.outboxId, d.outcome, d.detail])).toEqual([
      [ids[1], 'failed', 'HTTP 400'],
      [ids[0], 'delivered', 'HTTP 200'],
      [ids[0], 'failed', 'HTTP 503'],
    ]);
    const mine = JSON.parse(
      (
        await h.request('GET', `/api/v1/alerts/deliveries?alert=${ids[1]}`, {
          token: h.tokens.read,
        })
      ).body,
    ) as typeof log;
    expect(mine.items).toHaveLength(1);
  });
});
