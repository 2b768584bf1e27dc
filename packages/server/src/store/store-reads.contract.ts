// The store contract, read side. Registered by storeContract (store.contract.ts).
import { seededRandom } from '@vigil/resilience';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND, changed, checked } from '../../test/store-events.js';
import { bucketBounds, bucketOf, exactQuantile } from './model/histogram.js';
import { monitor, storeSetup, type StoreHarness } from '../../test/store-contract.js';

/** The read side of the contract: uptime, latency percentiles, incidents and sparklines. */
export function storeReadsContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}: uptime, latency, incidents, sparklines`, () => {
    const { fresh } = storeSetup(harness);
    it('uptime: time up over time observed — gaps, maintenance, a monitor added mid-window (exact)', async () => {
      const { store, t0, clock } = await fresh();
      await store.syncMonitors([monitor('api')]); // interval 1 min → gap limit 3 min
      const every = async (from: number, to: number, status: 'up' | 'down' | 'maintenance') => {
        for (let t = from; t <= to; t += MINUTE)
          store.onChecked(
            checked('api', t0 + t, { outcome: status === 'down' ? 'fail' : 'ok', status }),
          );
        await store.flush();
      };
      // Added at 1 h: nothing before is observed.
      await store.recordChange(changed('api', 'pending', 'up', t0 + HOUR));
      await every(HOUR, 3 * HOUR, 'up');
      await store.recordChange(changed('api', 'up', 'down', t0 + 3 * HOUR));
      await every(3 * HOUR, 4 * HOUR, 'down');
      await store.recordChange(changed('api', 'down', 'up', t0 + 4 * HOUR));
      await every(4 * HOUR, 5 * HOUR, 'up');
      // Vigil stopped from 5 h to 6 h: a gap, not observed.
      await every(6 * HOUR, 7 * HOUR, 'up');
      await store.recordChange(changed('api', 'up', 'maintenance', t0 + 7 * HOUR, 'maintenance'));
      await every(7 * HOUR, 8 * HOUR, 'maintenance');
      await store.recordChange(changed('api', 'maintenance', 'up', t0 + 8 * HOUR, 'maintenance'));
      await every(8 * HOUR, 9 * HOUR, 'up');
      clock.jumpWall(10 * HOUR);
      const [all, part, before] = await store.uptime('api', [
        { from: t0, to: t0 + 10 * HOUR },
        { from: t0 + 2 * HOUR, to: t0 + 3.5 * HOUR },
        { from: t0, to: t0 + HOUR },
      ]);
      expect(all).toMatchObject({
        upMs: 5 * HOUR,
        downMs: HOUR,
        maintenanceMs: HOUR,
        observedMs: 6 * HOUR,
        uptime: 5 / 6,
      });
      expect(part).toMatchObject({
        upMs: HOUR,
        downMs: 0.5 * HOUR,
        observedMs: 1.5 * HOUR,
        uptime: 2 / 3,
      });
      expect(before).toMatchObject({ observedMs: 0, uptime: null });
      const periods = await store.incidents({
        monitorId: 'api',
        statuses: ['up', 'down', 'maintenance'],
      });
      expect(
        periods.items.map((p) => [
          p.to,
          p.cause,
          (p.startedAt - t0) / HOUR,
          p.endedAt === null ? null : (p.endedAt - t0) / HOUR,
        ]),
      ).toEqual([
        ['up', 'maintenance', 8, null],
        ['maintenance', 'maintenance', 7, 8],
        ['up', 'observed', 6, 7],
        ['up', 'check', 4, 5],
        ['down', 'check', 3, 4],
        ['up', 'check', 1, 3],
      ]);
    });

    it('uptime: a silence before a change (blocked, then resumed) is not counted as down', async () => {
      const { store, t0, clock } = await fresh();
      await store.syncMonitors([monitor('api')]);
      await store.recordChange(changed('api', 'up', 'down', t0));
      for (let t = 0; t <= 10 * MINUTE; t += MINUTE)
        store.onChecked(checked('api', t0 + t, { outcome: 'fail', status: 'down' }));
      // Blocked at 10 min; resumed by hand at 2 h.
      await store.recordChange(changed('api', 'down', 'pending', t0 + 2 * HOUR, 'resume'));
      clock.jumpWall(3 * HOUR);
      const [u] = await store.uptime('api', [{ from: t0, to: t0 + 3 * HOUR }]);
      expect(u).toMatchObject({ downMs: 10 * MINUTE, observedMs: 10 * MINUTE, uptime: 0 });
      expect(await store.uptime('nobody', [{ from: t0, to: t0 + HOUR }])).toMatchObject([
        { uptime: null },
      ]);
    });

    it('estimates latency percentiles from rollups within one bucket of the exact ones', async () => {
      const { store, t0, clock } = await fresh();
      const random = seededRandom(42);
      const all: number[] = [];
      for (let i = 0; i < 3000; i++) {
        // Log-normal-ish latencies from 0.2 ms to several seconds.
        const ms = Math.round(Math.exp(random.next() * 4 + random.next() * 4 - 1.5) * 100) / 100;
        const outcome = i % 50 === 0 ? 'fail' : 'ok';
        if (outcome === 'ok') all.push(Math.round(ms * 1000));
        store.onChecked(checked('api', t0 + i * 30 * SECOND, { latencyMs: ms, outcome }));
      }
      await store.flush();
      clock.jumpWall(2 * DAY);
      const qs = [0.5, 0.95, 0.99];
      const summary = await store.latency('api', { from: t0, to: t0 + 7 * DAY }, qs);
      expect(summary.tier).toBe('hour');
      expect(summary.count).toBe(all.length);
      for (const { q, ms } of summary.quantiles) {
        const exact = exactQuantile([...all], q) as number;
        const [lo, hi] = bucketBounds(bucketOf(exact));
        expect(ms! * 1000).toBeGreaterThanOrEqual(lo);
        expect(ms! * 1000).toBeLessThanOrEqual(hi);
      }
      const raw = await store.latency('api', { from: clock.now() - HOUR, to: clock.now() }, qs);
      expect(raw).toMatchObject({ tier: 'raw', count: 0, avgMs: null });
      // An hour within raw retention: exact percentiles.
      const exactSummary = await store.latency('api', { from: t0, to: t0 + HOUR }, [0.5, 0.99]);
      const firstHour: number[] = [];
      for (let i = 0; i < 120; i++) if (i % 50 !== 0) firstHour.push(all[i - Math.ceil(i / 50)]!);
      expect(exactSummary.tier).toBe('raw');
      expect(exactSummary.count).toBe(117);
      expect(exactSummary.quantiles).toEqual([
        { q: 0.5, ms: exactQuantile([...firstHour], 0.5)! / 1000 },
        { q: 0.99, ms: exactQuantile([...firstHour], 0.99)! / 1000 },
      ]);
    });

    it('pages incidents newest first, for one monitor or all, in a window', async () => {
      const { store, t0 } = await fresh();
      for (let i = 0; i < 5; i++) {
        await store.recordChange(changed('a', 'up', 'down', t0 + 2 * i * MINUTE));
        await store.recordChange(changed('b', 'up', 'down', t0 + 2 * i * MINUTE));
        await store.recordChange(changed('a', 'down', 'up', t0 + (2 * i + 1) * MINUTE));
      }
      const first = await store.incidents({ limit: 4 });
      expect(first.items.map((i) => [i.monitorId, (i.startedAt - t0) / MINUTE])).toEqual([
        ['b', 8],
        ['a', 8],
        ['b', 6],
        ['a', 6],
      ]);
      const second = await store.incidents({ limit: 4, cursor: first.next });
      const third = await store.incidents({ limit: 4, cursor: second.next });
      expect([...second.items, ...third.items]).toHaveLength(6);
      expect(third.next).toBeNull();
      const windowed = await store.incidents({
        monitorId: 'a',
        from: t0 + 3 * MINUTE,
        to: t0 + 5 * MINUTE,
      });
      expect(windowed.items.map((i) => (i.startedAt - t0) / MINUTE)).toEqual([4]);
      expect(windowed.items[0]?.endedAt).toBe(t0 + 5 * MINUTE);
      await expect(store.incidents({ cursor: 'nonsense' })).rejects.toThrow(/cursor/);
    });

    it('gives every monitor a sparkline in one query', async () => {
      const { store, t0, clock } = await fresh();
      await store.syncMonitors([monitor('a'), monitor('b'), monitor('quiet')]);
      for (let h = 0; h < 24; h++) {
        store.onChecked(checked('a', t0 + h * HOUR + MINUTE, { latencyMs: h + 1 }));
        if (h % 2 === 0) store.onChecked(checked('b', t0 + h * HOUR, { outcome: 'fail' }));
      }
      await store.flush();
      clock.jumpWall(DAY);
      const lines = await store.sparklines({ from: t0, to: t0 + DAY }, 24);
      expect([...lines.keys()].sort()).toEqual(['a', 'b', 'quiet']);
      expect(lines.get('a')?.map((p) => p.avgLatencyMs)).toEqual(
        Array.from({ length: 24 }, (_, h) => h + 1),
      );
      expect(lines.get('b')?.map((p) => p.fail)).toEqual(
        Array.from({ length: 24 }, (_, h) => (h % 2 === 0 ? 1 : 0)),
      );
      expect(lines.get('quiet')?.every((p) => p.ok === 0 && p.avgLatencyMs === null)).toBe(true);
      const half = await store.sparklines({ from: t0, to: t0 + DAY }, 12);
      expect(half.get('a')?.map((p) => p.ok)).toEqual(new Array(12).fill(2));
      // 48 points: half-hour buckets, from the narrow 15-minute tier (one row per monitor and quarter).
      expect(await store.transfer.count('rollup_quarter')).toBe(24 + 12);
      const fine = await store.sparklines({ from: t0, to: t0 + DAY }, 48);
      expect(fine.get('a')?.map((p) => p.avgLatencyMs)).toEqual(
        Array.from({ length: 48 }, (_, i) => (i % 2 === 0 ? i / 2 + 1 : null)),
      );
      expect(fine.get('b')?.map((p) => p.fail)).toEqual(
        Array.from({ length: 48 }, (_, i) => (i % 4 === 0 ? 1 : 0)),
      );
      expect(fine.get('a')?.[2]).toEqual({
        start: t0 + HOUR,
        ok: 1,
        fail: 0,
        degraded: 0,
        pending: 0,
        avgLatencyMs: 2,
      });
    });
  });
}
