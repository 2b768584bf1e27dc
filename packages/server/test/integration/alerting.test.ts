// The alerting pipeline end to end on a FakeClock: engine → router → outbox (real SQLite) → worker → real
// HTTP receivers. Checks must keep their schedule whatever the receivers do.
import { seededRandom } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckedEvent } from '../../src/engine/index.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import type { Outcome } from '../../src/checks/index.js';
import { alertHooks, persistEngine } from '../../src/wiring.js';
import { startReceiver, type AlertReceiver } from '../alert-receiver.js';
import { alertingHarness, type AlertingHarness } from '../alerting-harness.js';
import { scriptedKind } from '../scripted-kind.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Pipeline {
  h: AlertingHarness;
  engine: Engine;
  checked: CheckedEvent[];
}

async function pipeline(
  scripts: Map<string, Outcome[]>,
  notifiers: string,
  monitorCount: number,
): Promise<Pipeline> {
  const kinds = { scripted: scriptedKind(scripts) };
  const monitors = Array.from(
    { length: monitorCount },
    (_, i) => `  - { id: m${i}, interval: 10s, failureThreshold: 1, scripted: {} }`,
  ).join('\n');
  const yaml = `defaults: { retry: { initial: 10s, jitter: none } }\nmonitors:\n${monitors}\nnotifiers:\n${notifiers}\nalerts:\n  - { name: all, notifiers: [${[...notifiers.matchAll(/id: (\w+)/g)].map((m) => m[1]).join(', ')}] }\n`;
  const h = await alertingHarness(yaml, {
    clock: new FakeClock({ startWall: Date.UTC(2026, 0, 1) }),
    kinds,
  });
  cleanup.push(() => h.close());
  const engine = createEngine({
    kinds,
    deps: { configDir: '.', heartbeats: { last: () => undefined } },
    clock: h.clock,
    random: seededRandom(1),
    spreadPerMonitorMs: 0,
  });
  cleanup.push(() => engine.stop());
  const checked: CheckedEvent[] = [];
  engine.on('checked', (e) => checked.push(e));
  persistEngine(engine, h.store, pino({ level: 'silent' }), alertHooks(h.router, h.worker));
  await h.worker.start();
  await engine.start(h.config);
  return { h, engine, checked };
}

async function receiver(): Promise<AlertReceiver> {
  const r = await startReceiver();
  cleanup.push(() => r.close());
  return r;
}

/** Start times of one monitor's checks, and their lag. */
function schedule(checked: readonly CheckedEvent[], id: string) {
  const runs = checked.filter((e) => e.monitorId === id);
  const starts = runs.map((e) => e.result.startedAt);
  return {
    gaps: new Set(starts.slice(1).map((t, i) => t - (starts[i] as number))),
    maxLag: Math.max(...runs.map((e) => e.result.lagMs)),
    runs: runs.length,
  };
}

const flaky: Outcome[] = ['ok', 'fail', 'fail', 'ok'];

describe('alerting pipeline', () => {
  it('a receiver failing with 500 for a minute: every alert delivered once after recovery, in order; checks on schedule', async () => {
    const r = await receiver();
    r.mode = { status: 500 };
    const scripts = new Map([
      ['m0', flaky],
      ['m1', flaky],
      ['m2', ['ok', 'ok', 'fail', 'fail', 'ok'] as Outcome[]],
    ]);
    const { h, checked } = await pipeline(
      scripts,
      `  - { id: hook, type: test-webhook, url: "${r.url}" }`,
      5,
    );
    const t0 = h.clock.now();
    const done = await h.drive(
      () => {
        if (h.clock.now() - t0 >= 60_000) r.mode = { status: 200 };
        return h.clock.now() - t0 >= 300_000;
      },
      500,
      400_000,
    );
    expect(done).toBe(true);
    const failedRequests = r.requests.filter((q) => q.status === 500);
    expect(failedRequests.length).toBeGreaterThan(0);
    const seq = (id: string) => r.accepted.filter((e) => e.monitor.id === id).map((e) => e.kind);
    expect(seq('m0')).toEqual(['trigger', 'resolve']);
    expect(seq('m1')).toEqual(['trigger', 'resolve']);
    expect(seq('m2')).toEqual(['trigger', 'resolve']);
    expect(r.accepted).toHaveLength(6);
    expect(r.duplicates).toBe(0);
    // The outage lasted a minute: everything accepted arrived after it.
    const delivered = await h.store.outbox.list({ status: 'delivered' });
    expect(delivered).toHaveLength(6);
    expect(delivered.every((d) => (d.deliveredAt ?? 0) >= t0 + 60_000)).toBe(true);
    const log = await h.store.outbox.deliveries({ limit: 1000 });
    expect(log.filter((d) => d.outcome === 'failed').every((d) => d.detail === 'HTTP 500')).toBe(
      true,
    );
    // Monitors the outage did not touch ran every 10 s, on time, all along.
    for (const id of ['m3', 'm4']) {
      const s = schedule(checked, id);
      expect(s.gaps).toEqual(new Set([10_000]));
      expect(s.maxLag).toBe(0);
      expect(s.runs).toBeGreaterThanOrEqual(30);
    }
  });

  it('a notifier that hangs forever: the other notifier gets everything, checks keep their schedule', async () => {
    const good = await receiver();
    const stuck = await receiver();
    stuck.mode = 'hang';
    const scripts = new Map([
      ['m0', flaky],
      ['m1', flaky],
    ]);
    const { h, checked } = await pipeline(
      scripts,
      `  - { id: good, type: test-webhook, url: "${good.url}" }\n  - { id: stuck, type: test-webhook, url: "${stuck.url}", timeout: 1m, concurrency: 1 }`,
      4,
    );
    const t0 = h.clock.now();
    await h.drive(() => h.clock.now() - t0 >= 120_000, 500, 200_000);
    expect(good.accepted.map((e) => `${e.monitor.id}:${e.kind}`).sort()).toEqual([
      'm0:resolve',
      'm0:trigger',
      'm1:resolve',
      'm1:trigger',
    ]);
    expect(stuck.accepted).toEqual([]);
    expect(stuck.requests.length).toBeGreaterThan(0);
    for (const id of ['m2', 'm3']) {
      const s = schedule(checked, id);
      expect(s.gaps).toEqual(new Set([10_000]));
      expect(s.maxLag).toBe(0);
    }
  });
});
