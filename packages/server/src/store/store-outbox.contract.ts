// The store contract, outbox and retention. Registered by storeContract (store.contract.ts).
import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND, changed, checked } from '../../test/store-events.js';
import { monitor, storeSetup, type StoreHarness } from '../../test/store-contract.js';

/** The outbox (leases, deliveries, recovery) and retention (pruning by tier). */
export function storeOutboxContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}: outbox and retention`, () => {
    const { fresh } = storeSetup(harness);
    it('outbox: claims due rows under a lease, logs deliveries, retries, gives up, reclaims expired leases', async () => {
      const { store, t0, clock } = await fresh();
      const { outboxIds } = await store.recordChange(changed('api', 'up', 'down', t0), [
        { notifierId: 'n1', eventKind: 'trigger', payload: {}, dedupKey: 'k' },
        { notifierId: 'n2', eventKind: 'trigger', payload: {}, dedupKey: 'k' },
        {
          notifierId: 'n3',
          eventKind: 'trigger',
          payload: {},
          dedupKey: 'k',
          notBefore: t0 + HOUR,
        },
      ]);
      const [a, b, c] = outboxIds as [number, number, number];
      const claimed = await store.outbox.claim({ owner: 'w1', leaseMs: MINUTE });
      expect(claimed.map((e) => [e.id, e.status, e.leaseOwner])).toEqual([
        [a, 'delivering', 'w1'],
        [b, 'delivering', 'w1'],
      ]);
      expect(await store.outbox.claim({ owner: 'w2' })).toEqual([]);
      expect(await store.outbox.delivered(a, { owner: 'w2' })).toBe(false);
      expect(await store.outbox.delivered(a, { owner: 'w1', durationMs: 12, detail: '202' })).toBe(
        true,
      );
      expect(
        await store.outbox.failed(b, { owner: 'w1', error: 'HTTP 503', retryAt: t0 + 10 * SECOND }),
      ).toBe(true);
      expect(await store.outbox.get(b)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 503',
      });
      clock.jumpWall(10 * SECOND);
      const retried = await store.outbox.claim({ owner: 'w2', leaseMs: MINUTE });
      expect(retried.map((e) => e.id)).toEqual([b]);
      // w2 dies; its lease expires and w3 takes the row over.
      clock.jumpWall(2 * MINUTE);
      expect((await store.outbox.claim({ owner: 'w3' })).map((e) => e.id)).toEqual([b]);
      expect(await store.outbox.failed(b, { owner: 'w2', error: 'late', retryAt: null })).toBe(
        false,
      );
      expect(await store.outbox.failed(b, { owner: 'w3', error: 'HTTP 400', retryAt: null })).toBe(
        true,
      );
      expect(await store.outbox.get(a)).toMatchObject({
        status: 'delivered',
        attempts: 1,
        deliveredAt: clock.now() - 10 * SECOND - 2 * MINUTE,
      });
      expect(await store.outbox.get(b)).toMatchObject({ status: 'failed', attempts: 2 });
      expect((await store.outbox.list({ status: 'pending' })).map((e) => e.id)).toEqual([c]);
      const log = await store.outbox.deliveries();
      expect(log.map((d) => [d.outboxId, d.attempt, d.outcome, d.error, d.detail])).toEqual([
        [b, 2, 'failed', 'HTTP 400', null],
        [b, 1, 'failed', 'HTTP 503', null],
        [a, 1, 'delivered', null, '202'],
      ]);
      expect(await store.outbox.deliveries({ outboxId: a })).toHaveLength(1);
      expect(await store.outbox.get(999_999)).toBeUndefined();
      await expect(store.outbox.claim({ owner: 'w', limit: 0 })).rejects.toThrow(RangeError);
    });

    it('outbox: enqueues intents outside a change, and recovers rows leased to a restarted worker', async () => {
      const { store, t0, clock } = await fresh();
      await store.syncMonitors([monitor('api')]);
      const ids = await store.outbox.enqueue('api', [
        { notifierId: 'n1', eventKind: 'reminder', payload: { n: 1 }, dedupKey: 'k' },
        {
          notifierId: 'n1',
          eventKind: 'certificate',
          payload: 'x',
          dedupKey: 'k2',
          notBefore: t0 + MINUTE,
        },
      ]);
      expect(ids).toHaveLength(2);
      expect(
        (await store.outbox.list()).map((e) => [
          e.monitorId,
          e.eventKind,
          e.nextAttemptAt,
          e.payload,
        ]),
      ).toEqual([
        ['api', 'reminder', t0, { n: 1 }],
        ['api', 'certificate', t0 + MINUTE, 'x'],
      ]);
      await expect(
        store.outbox.enqueue('nope', [
          { notifierId: 'n1', eventKind: 'reminder', payload: null, dedupKey: 'k' },
        ]),
      ).rejects.toThrow(RangeError);
      expect(await store.outbox.enqueue('api', [])).toEqual([]);
      expect((await store.outbox.claim({ owner: 'w1', leaseMs: HOUR })).map((e) => e.id)).toEqual([
        ids[0],
      ]);
      expect(await store.outbox.claim({ owner: 'w1' })).toEqual([]);
      clock.jumpWall(MINUTE);
      expect(await store.outbox.recover('other')).toBe(0);
      expect(await store.outbox.recover('w1')).toBe(1);
      const again = await store.outbox.claim({ owner: 'w1' });
      expect(again.map((e) => [e.id, e.attempts])).toEqual([
        [ids[0], 0],
        [ids[1], 0],
      ]);
      expect(
        await store.outbox.settle([
          { id: ids[0] as number, outcome: 'delivered', owner: 'w1', detail: 'HTTP 200' },
          {
            id: ids[1] as number,
            outcome: 'failed',
            owner: 'w1',
            error: 'HTTP 503',
            retryAt: t0 + HOUR,
          },
          { id: ids[1] as number, outcome: 'delivered', owner: 'w1' },
        ]),
      ).toEqual([true, true, false]);
      expect(
        (await store.outbox.list()).map((e) => [e.status, e.attempts, e.nextAttemptAt]),
      ).toEqual([
        ['delivered', 1, t0 + MINUTE],
        ['pending', 1, t0 + HOUR],
      ]);
      expect(
        (await store.outbox.deliveries()).map((d) => [d.outboxId, d.outcome, d.detail]),
      ).toEqual([
        [ids[1], 'failed', null],
        [ids[0], 'delivered', 'HTTP 200'],
      ]);
      expect(await store.outbox.settle([])).toEqual([]);
    });

    it('prunes each tier past its retention, and keeps the rest', async () => {
      const { store, t0, clock } = await fresh({
        retention: { raw: 2 * DAY, minute: DAY, hour: 10 * DAY },
      });
      for (let d = 0; d < 12; d++)
        store.onChecked(checked('api', t0 + d * DAY, { message: `m${d}` }));
      // A monitor with nothing past retention: passed over, its rows kept.
      store.onChecked(checked('quiet', t0 + 11 * DAY + HOUR));
      await store.recordChange(changed('api', 'up', 'down', t0), [
        { notifierId: 'n', eventKind: 'k', payload: 1, dedupKey: 'd' },
      ]);
      await store.recordChange(changed('api', 'down', 'up', t0 + HOUR));
      await store.flush();
      clock.jumpWall(12 * DAY);
      const report = await store.prune();
      expect(report).toMatchObject({
        raw: 10,
        minute: 11,
        hour: 2,
        day: 0,
        incidents: 0,
        outbox: 0,
      });
      expect(await store.transfer.count('results')).toBe(3);
      expect(await store.transfer.count('rollup_day')).toBe(13);
      expect(await store.prune()).toMatchObject({ raw: 0, minute: 0, hour: 0 });
    });

    it('runs retention by itself on the clock', async () => {
      const clock = new FakeClock();
      const { store, t0 } = await fresh({
        clock,
        pruneIntervalMs: HOUR,
        retention: { raw: 3_600_000 },
      });
      store.onChecked(checked('api', t0 - 2 * HOUR));
      store.onChecked(checked('api', t0));
      await store.flush();
      await clock.advance(MINUTE);
      await store.flush();
      // The pass runs in the background; wait for it through a second call (it returns the running one).
      await store.prune();
      expect(await store.transfer.count('results')).toBe(1);
    });
  });
}
