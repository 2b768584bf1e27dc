// The one test suite every Store back end runs unchanged (STYLE.md, "Contract suites").
import { seededRandom } from '@vigil/resilience';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND, changed, checked, state } from '../../test/store-events.js';
import { monitor, storeSetup, type StoreHarness } from '../../test/store-contract.js';
import { storeOutboxContract } from './store-outbox.contract.js';
import { storeReadsContract } from './store-reads.contract.js';

export type { HarnessOptions, StoreHarness } from '../../test/store-contract.js';

/** Registers the contract tests for one back end. */
export function storeContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}`, () => {
    const { fresh, reopen } = storeSetup(harness);

    it('migrates a fresh database, and opening it again changes nothing', async () => {
      const { store, clock, location } = await fresh();
      expect(await store.latest()).toEqual([]);
      const again = await reopen(location, clock, store);
      expect(await again.latest()).toEqual([]);
      expect(await again.sizeBytes()).toBeGreaterThan(0);
    });

    it('records monitors from the config and keeps removed ones for history', async () => {
      const { store, t0 } = await fresh();
      await store.syncMonitors([monitor('api'), monitor('db', { kind: 'postgres' })]);
      await store.syncMonitors([monitor('api', { name: 'API' })]);
      const latest = await store.latest();
      expect(latest.map((l) => [l.monitor.id, l.monitor.name, l.monitor.removedAt])).toEqual([
        ['api', 'API', null],
      ]);
      const all = await store.latest({ includeRemoved: true });
      expect(all.map((l) => [l.monitor.id, l.monitor.kind, l.monitor.removedAt])).toEqual([
        ['api', 'tcp', null],
        ['db', 'postgres', t0],
      ]);
      await store.syncMonitors([monitor('api'), monitor('db')]);
      expect((await store.latest()).length).toBe(2);
    });

    it('stores raw results with phases, details and value, and deduplicates messages', async () => {
      const { store, t0 } = await fresh();
      for (let i = 0; i < 5; i++)
        store.onChecked(
          checked('api', t0 + i * SECOND, {
            latencyMs: 1.25 + i,
            phases: { dns: 0.5, connect: 1.01 },
            details: { status: 200 },
            value: i,
            message: 'HTTP 200',
          }),
        );
      store.onChecked(
        checked('api', t0 + 5 * SECOND, { outcome: 'fail', message: 'x'.repeat(900) }),
      );
      await store.flush();
      const h = await store.history('api', { from: t0, to: t0 + MINUTE });
      expect(h.tier).toBe('raw');
      if (h.tier !== 'raw') return;
      expect(h.results).toHaveLength(6);
      expect(h.results[1]).toEqual({
        at: t0 + SECOND,
        outcome: 'ok',
        latencyMs: 2.25,
        message: 'HTTP 200',
        details: { status: 200 },
        value: 1,
        phases: { dns: 0.5, connect: 1.01 },
      });
      expect(h.results[5]?.message).toHaveLength(500);
      expect(h.results[5]?.message.endsWith('…')).toBe(true);
      expect(await store.transfer.count('messages')).toBe(2);
      expect(store.metrics()).toMatchObject({
        writtenResults: 6,
        shedResults: 0,
        bufferedResults: 0,
      });
    });

    it('keeps minute, hour and day rollups incrementally, whatever the arrival order', async () => {
      const { store, t0 } = await fresh();
      // Out of order by a little, over two flushes, across a minute boundary.
      store.onChecked(checked('api', t0 + 70 * SECOND, { latencyMs: 40 }));
      store.onChecked(checked('api', t0 + 10 * SECOND, { latencyMs: 5 }));
      await store.flush();
      store.onChecked(checked('api', t0 + 30 * SECOND, { outcome: 'fail', latencyMs: 999 }));
      store.onChecked(checked('api', t0 + 20 * SECOND, { latencyMs: 10 }));
      store.onChecked(checked('api', t0 + 5 * SECOND, { outcome: 'degraded', latencyMs: 20 }));
      await store.flush();
      const minute = await store.history(
        'api',
        { from: t0, to: t0 + 2 * MINUTE },
        { tier: 'minute' },
      );
      if (minute.tier === 'raw') throw new Error('expected rollups');
      expect(minute.stepMs).toBe(MINUTE);
      expect(
        minute.buckets.map((b) => [b.start - t0, b.ok, b.fail, b.degraded, b.pending]),
      ).toEqual([
        [0, 2, 1, 1, 0],
        [MINUTE, 1, 0, 0, 0],
      ]);
      expect(minute.buckets[0]?.latency).toMatchObject({ minMs: 5, maxMs: 20, avgMs: 35 / 3 });
      const day = await store.history('api', { from: t0, to: t0 + DAY }, { tier: 'day' });
      if (day.tier === 'raw') throw new Error('expected rollups');
      expect(day.buckets).toHaveLength(1);
      expect(day.buckets[0]).toMatchObject({ ok: 3, fail: 1, degraded: 1 });
      expect(day.buckets[0]?.latency).toMatchObject({ minMs: 5, maxMs: 40, avgMs: 75 / 4 });
      const hour = await store.history('api', { from: t0, to: t0 + 3 * DAY });
      expect(hour.tier).toBe('hour');
    });

    it('picks the tier by the length and age of the window', async () => {
      const { store, t0, clock } = await fresh();
      clock.jumpWall(30 * DAY);
      const now = clock.now();
      const tier = async (from: number, to: number) =>
        (await store.history('x', { from, to })).tier;
      expect(await tier(now - HOUR, now)).toBe('raw');
      expect(await tier(now - DAY, now)).toBe('minute');
      expect(await tier(now - 30 * DAY, now)).toBe('hour');
      expect(await tier(now - 365 * DAY, now)).toBe('day');
      // An hour of 20 days ago: raw (14 d) and minute (3 d) data is gone by then.
      expect(await tier(t0 + 10 * DAY, t0 + 10 * DAY + HOUR)).toBe('hour');
      await expect(store.history('x', { from: now, to: now })).rejects.toThrow(RangeError);
    });

    it('writes a change with its outbox rows and state, and resumes the exact state after a restart', async () => {
      const { store, t0, clock, location } = await fresh();
      await store.syncMonitors([monitor('api')]);
      const down = state('down', t0 + MINUTE, {
        consecutiveFailures: 4,
        backoff: { attempt: 3, previousDelayMs: 20_000 },
        lastResult: {
          outcome: 'fail',
          message: 'refused by "db\\primary" — {x,y} NULL ✗',
          latencyMs: 0.4,
          at: t0 + MINUTE,
        },
        parentDown: 'db',
      });
      const receipt = await store.recordChange(
        changed('api', 'up', 'down', t0 + MINUTE, 'check', down),
        [
          {
            notifierId: 'pagerduty',
            eventKind: 'trigger',
            payload: { summary: 'api down' },
            dedupKey: 'vigil/api',
          },
          {
            notifierId: 'slack',
            eventKind: 'trigger',
            payload: 'text',
            dedupKey: 'vigil/api',
            notBefore: t0 + 2 * MINUTE,
          },
        ],
      );
      expect(receipt.outboxIds).toHaveLength(2);
      const rows = await store.outbox.list();
      expect(
        rows.map((r) => [r.id, r.notifierId, r.status, r.nextAttemptAt - t0, r.payload]),
      ).toEqual([
        [receipt.outboxIds[0], 'pagerduty', 'pending', MINUTE, { summary: 'api down' }],
        [receipt.outboxIds[1], 'slack', 'pending', 2 * MINUTE, 'text'],
      ]);
      const again = await reopen(location, clock, store);
      const states = await again.loadStates();
      expect(states.get('api')).toEqual(down);
      expect(states.get('api')?.backoff).toEqual({ attempt: 3, previousDelayMs: 20_000 });
      const page = await again.incidents({ monitorId: 'api' });
      expect(
        page.items.map((i) => [i.id, i.from, i.to, i.cause, i.startedAt - t0, i.endedAt]),
      ).toEqual([[receipt.incidentId, 'up', 'down', 'check', MINUTE, null]]);
    });

    it('never lets an older buffered state overwrite a newer change', async () => {
      const { store, t0 } = await fresh();
      store.onChecked(checked('api', t0, { status: 'up' }));
      await store.recordChange(changed('api', 'up', 'paused', t0 + SECOND, 'pause'));
      store.onChecked(checked('api', t0 - SECOND, { status: 'up' })); // straggler, arrives late
      await store.recordChange(changed('api', 'paused', 'pending', t0 + 2 * SECOND, 'resume'));
      await store.flush();
      // The straggler was received last but is older than both changes only by arrival: the sequence of
      // receipt orders states, so the last event wins.
      expect((await store.loadStates()).get('api')?.status).toBe('pending');
      const [latest] = await store.latest({ includeRemoved: true });
      expect(latest?.state?.status).toBe('pending');
    });

    it('builds the same rollups whether results come in one flush or one flush each', async () => {
      const one = await fresh();
      const each = await fresh();
      const random = seededRandom(7);
      for (let i = 0; i < 240; i++) {
        const ms = Math.round(Math.exp(random.next() * 6 - 1) * 100) / 100;
        const outcome = i % 17 === 0 ? 'fail' : i % 11 === 0 ? 'degraded' : 'ok';
        const event = checked('api', one.t0 + i * 20 * SECOND, { latencyMs: ms, outcome });
        one.store.onChecked(event);
        each.store.onChecked(event);
        // Each flush then carries one result per rollup bucket, and the database adds them up.
        await each.store.flush();
      }
      await one.store.flush();
      const range = { from: one.t0, to: one.t0 + 2 * HOUR };
      for (const tier of ['minute', 'hour', 'day'] as const)
        expect(await each.store.history('api', range, { tier })).toEqual(
          await one.store.history('api', range, { tier }),
        );
      one.clock.jumpWall(2 * DAY);
      each.clock.jumpWall(2 * DAY);
      const week = { from: one.t0, to: one.t0 + 7 * DAY };
      const qs = [0.1, 0.5, 0.9, 0.99];
      const summary = await one.store.latency('api', week, qs);
      expect(summary.count).toBe(240 - 15);
      expect(await each.store.latency('api', week, qs)).toEqual(summary);
    });

    it('sheds raw results when the buffer is full, but keeps their rollups and the state', async () => {
      const { store, t0 } = await fresh({ batchSize: 10, bufferSize: 10 });
      for (let i = 0; i < 15; i++) store.onChecked(checked('api', t0 + i * SECOND));
      expect(store.metrics().shedResults).toBe(5);
      await store.flush();
      expect(await store.transfer.count('results')).toBe(10);
      const h = await store.history('api', { from: t0, to: t0 + MINUTE }, { tier: 'minute' });
      expect(h.tier !== 'raw' && h.buckets[0]?.ok).toBe(15);
      expect((await store.loadStates()).get('api')?.lastResult?.at).toBe(t0 + 14 * SECOND);
    });

    it('flushes every second on the clock, and what is buffered on close', async () => {
      const { store, t0, clock, location } = await fresh();
      store.onChecked(checked('api', t0));
      expect(store.metrics().bufferedResults).toBe(1);
      await clock.advance(SECOND);
      await store.flush();
      expect(store.metrics()).toMatchObject({ bufferedResults: 0, writtenResults: 1, flushes: 1 });
      store.onChecked(checked('api', t0 + SECOND));
      const again = await reopen(location, clock, store);
      expect(await again.transfer.count('results')).toBe(2);
      store.onChecked(checked('api', t0 + 2 * SECOND));
      expect(store.metrics().shedResults).toBe(1);
      await expect(store.recordChange(changed('api', 'up', 'down', t0))).rejects.toMatchObject({
        code: 'STORE_CLOSED',
      });
      await expect(store.syncMonitors([])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });

    it('lists its tables for copying, in key order, idempotently', async () => {
      const { store, t0 } = await fresh();
      for (let i = 0; i < 5; i++) store.onChecked(checked(`m${i % 2}`, t0 + i * SECOND));
      await store.flush();
      const t = store.transfer;
      expect(t.tables).toContain('results');
      const first = await t.read('results', null, 3);
      expect(first.rows).toHaveLength(3);
      const rest = await t.read('results', first.last, 3);
      expect(rest.rows).toHaveLength(2);
      await t.write('results', rest.rows);
      expect(await t.count('results')).toBe(5);
      await t.setMeta('k', 'v');
      expect(await t.getMeta('k')).toBe('v');
      await t.setMeta('k', null);
      expect(await t.getMeta('k')).toBeUndefined();
      await expect(t.count('nope')).rejects.toThrow(/unknown table/);
    });
  });
  storeReadsContract(name, harness);
  storeOutboxContract(name, harness);
}
