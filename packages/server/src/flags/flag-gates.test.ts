import { OpenFeature, TypedInMemoryProvider } from '@openfeature/server-sdk';
import { FakeClock, seededRandom } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CheckKind, CheckResult } from '../checks/index.js';
import { notifierTypes } from '../alerting/notifiers/registry.js';
import { loadConfig, type Config } from '../config/index.js';
import { createEngine, type ChangeEvent, type Engine, type MonitorState } from '../engine/index.js';
import { summaryView } from '../api/index.js';
import { createFlagGates, type FlagGates, type FlagGatesOptions } from './flag-gates.js';

/** What the test kind does for a monitor on its next runs (the last step repeats). */
type Step = 'ok' | 'fail' | 'throw';

function testKind(scripts: Map<string, Step[]>, runs: string[]): CheckKind {
  return {
    name: 'scripted',
    description: 'test kind',
    schema: z.object({}).strict(),
    create(_config, _deps, id) {
      return {
        run(): Promise<CheckResult> {
          const script = scripts.get(id) ?? ['ok'];
          const step = script.length > 1 ? (script.shift() as Step) : (script[0] ?? 'ok');
          runs.push(id);
          if (step === 'throw') return Promise.reject(new Error(`${id} threw`));
          return Promise.resolve({ outcome: step, message: `${step} ${id}`, latencyMs: 1 });
        },
      };
    },
  };
}

const boolFlags = (values: Record<string, boolean>) =>
  Object.fromEntries(
    Object.entries(values).map(([key, on]) => [
      key,
      {
        variants: { on: true, off: false },
        defaultVariant: on ? ('on' as const) : ('off' as const),
        disabled: false,
      },
    ]),
  );

let domains = 0;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  clock: FakeClock;
  scripts: Map<string, Step[]>;
  runs: string[];
  gates: FlagGates;
  changes: ChangeEvent[];
  /** Replaces every flag of the in-memory provider (it emits a change event). */
  setFlags(values: Record<string, boolean>): void;
  config(yaml: string): Config;
  engine(config: Config, states?: ReadonlyMap<string, MonitorState>): Promise<Engine>;
  /** How many times each monitor was checked so far. */
  count(id: string): number;
}

async function harness(
  flags: Record<string, boolean>,
  options: Partial<FlagGatesOptions> = {},
): Promise<Harness> {
  const clock = new FakeClock({ startWall: Date.UTC(2026, 0, 1) });
  const scripts = new Map<string, Step[]>();
  const runs: string[] = [];
  const kinds = { scripted: testKind(scripts, runs) };
  const domain = `vigil-server-flags-test-${++domains}`;
  const provider = new TypedInMemoryProvider(boolFlags(flags));
  await OpenFeature.setProviderAndWait(domain, provider);
  const gates = createFlagGates({ client: OpenFeature.getClient(domain), clock, ...options });
  cleanups.push(() => gates.stop());
  const changes: ChangeEvent[] = [];
  return {
    clock,
    scripts,
    runs,
    gates,
    changes,
    setFlags: (values) => provider.putConfiguration(boolFlags(values)),
    config: (yaml) =>
      loadConfig(`flags: { path: flags.yaml }\n${yaml}`, {
        file: 'vigil.yaml',
        dir: '.',
        env: {},
        kinds,
        notifierTypes,
      }),
    async engine(config, states) {
      const engine = createEngine({
        kinds,
        deps: { configDir: '.', heartbeats: { last: () => undefined } },
        clock,
        random: seededRandom(1),
        spreadPerMonitorMs: 0,
        flags: gates,
        ...(states === undefined ? {} : { states }),
      });
      engine.on('change', (e) => changes.push(e));
      cleanups.push(() => engine.stop());
      await engine.start(config);
      return engine;
    },
    count: (id) => runs.filter((r) => r === id).length,
  };
}

const DB = `monitors:
  - { id: db, interval: 10s, failureThreshold: 2, retry: { initial: 1s, jitter: none }, flag: monitor.db, scripted: {} }
  - { id: api, interval: 10s, scripted: {} }
`;

describe('flag-governed monitors', () => {
  it('flag off stops the monitor (disabled, shown paused with the flag); on resumes it with its stored state', async () => {
    const h = await harness({ 'monitor.db': true });
    h.scripts.set('db', ['fail']);
    const config = h.config(DB);
    await h.gates.start(config);
    const engine = await h.engine(config);
    await h.clock.advance(1000); // db checked at 0 and 1 s: down after 2 failures
    expect(engine.get('db')?.state).toMatchObject({ status: 'down', consecutiveFailures: 2 });

    h.setFlags({ 'monitor.db': false });
    await h.clock.flush(); // the provider's change event: no poll needed
    const off = engine.get('db');
    expect(off?.state).toMatchObject({
      status: 'paused',
      lifecycle: 'disabled',
      flagOff: 'monitor.db',
      reason: 'flag "monitor.db" is off',
      consecutiveFailures: 2,
      confirmed: 'down',
    });
    expect(summaryView(off!)).toMatchObject({
      status: 'paused',
      lifecycle: 'disabled',
      flag: 'monitor.db',
      flagOff: 'monitor.db',
    });
    expect(h.changes.at(-1)).toMatchObject({
      monitorId: 'db',
      cause: 'flag',
      change: { from: 'down', to: 'paused' },
    });
    const before = { db: h.count('db'), api: h.count('api') };
    await h.clock.advance(60_000);
    expect(h.count('db')).toBe(before.db); // its task is stopped
    expect(h.count('api')).toBe(before.api + 6); // every other monitor runs on

    h.setFlags({ 'monitor.db': true });
    await h.clock.flush();
    // As after a restart: the status its counters confirm, not a fresh `pending`…
    expect(h.changes.at(-1)).toMatchObject({
      cause: 'flag',
      change: { from: 'paused', to: 'down' },
    });
    // …and, overdue, checked at once, counting on from 2 failures (not from 0).
    expect(h.count('db')).toBe(before.db + 1);
    expect(engine.get('db')?.state).toMatchObject({
      status: 'down',
      lifecycle: 'backing-off',
      consecutiveFailures: 3,
    });
    expect(engine.get('db')?.state.flagOff).toBeUndefined();
    h.scripts.set('db', ['ok']);
    await h.clock.advance(4000); // the retry backoff went on too: 1 s, 2 s, now 4 s
    expect(engine.get('db')?.state).toMatchObject({ status: 'up', lifecycle: 'running' });
  });

  it("a group's flag governs all its monitors: a monitor runs only while its own flag and its group's are on", async () => {
    const h = await harness({ 'group.data': true, 'monitor.db': true });
    const config = h.config(`groups:
  - { id: data, flag: group.data }
monitors:
  - { id: db, group: data, interval: 10s, flag: monitor.db, scripted: {} }
  - { id: cache, group: data, interval: 10s, scripted: {} }
  - { id: api, interval: 10s, scripted: {} }
`);
    await h.gates.start(config);
    const engine = await h.engine(config);
    await h.clock.advance(0);
    const lifecycles = () => engine.list().map((m) => `${m.config.id}:${m.state.lifecycle}`);
    expect(lifecycles()).toEqual(['db:running', 'cache:running', 'api:running']);

    h.setFlags({ 'group.data': false, 'monitor.db': true });
    await h.clock.flush();
    expect(lifecycles()).toEqual(['db:disabled', 'cache:disabled', 'api:running']);
    expect(engine.get('cache')?.state).toMatchObject({
      flagOff: 'group.data',
      reason: 'flag "group.data" of group "data" is off',
    });

    h.setFlags({ 'group.data': true, 'monitor.db': false }); // the group is on, db's own flag is not
    await h.clock.flush();
    expect(lifecycles()).toEqual(['db:disabled', 'cache:running', 'api:running']);
    expect(engine.get('db')?.state.flagOff).toBe('monitor.db');

    h.setFlags({ 'group.data': true, 'monitor.db': true });
    await h.clock.flush();
    expect(lifecycles()).toEqual(['db:running', 'cache:running', 'api:running']);
    expect(h.gates.list()).toMatchObject([
      {
        flag: 'group.data',
        on: true,
        evaluation: { on: true, fallback: false, reason: 'STATIC' },
        monitors: ['cache', 'db'],
        groups: ['data'],
        notifiers: [],
      },
      {
        flag: 'monitor.db',
        on: true,
        evaluation: { on: true, fallback: false },
        monitors: ['db'],
        groups: [],
        notifiers: [],
      },
    ]);
  });

  it('after a restart a monitor disabled by its flag stays disabled while the flag is off, and resumes its stored state once it is on', async () => {
    const h = await harness({ 'monitor.db': true });
    h.scripts.set('db', ['fail']);
    const config = h.config(DB);
    await h.gates.start(config);
    const first = await h.engine(config);
    await h.clock.advance(1000);
    h.setFlags({ 'monitor.db': false });
    await h.clock.flush();
    const stored = new Map(first.list().map((m) => [m.config.id, m.state]));
    await first.stop();

    const runs = h.count('db');
    const second = await h.engine(config, stored); // the flag is still off
    await h.clock.advance(30_000);
    expect(second.get('db')?.state).toMatchObject({ lifecycle: 'disabled', flagOff: 'monitor.db' });
    expect(h.count('db')).toBe(runs);
    await second.stop();

    h.setFlags({ 'monitor.db': true });
    await h.clock.flush();
    const third = await h.engine(config, stored); // and now it is on
    expect(h.changes.at(-1)).toMatchObject({
      cause: 'flag',
      change: { from: 'paused', to: 'down' },
    });
    await h.clock.advance(0);
    expect(h.count('db')).toBe(runs + 1);
    expect(third.get('db')?.state).toMatchObject({
      status: 'down',
      lifecycle: 'backing-off',
      consecutiveFailures: 3,
    });
  });

  it('a monitor paused by hand stays paused whatever its flag does', async () => {
    const h = await harness({ 'monitor.db': true });
    const config = h.config(DB);
    await h.gates.start(config);
    const engine = await h.engine(config);
    await h.clock.advance(0);
    await engine.pause('db', 'paused by alice');
    for (const on of [false, true]) {
      h.setFlags({ 'monitor.db': on });
      await h.clock.flush();
      expect(engine.get('db')?.state).toMatchObject({
        lifecycle: 'disabled',
        reason: 'paused by alice',
      });
      expect(engine.get('db')?.state.flagOff).toBeUndefined();
    }
  });

  it('a crashed monitor stays down while its flag stays on, and starts afresh once the flag is cycled', async () => {
    const h = await harness({ 'monitor.db': true });
    h.scripts.set('db', ['throw']);
    const config = h.config(DB);
    await h.gates.start(config);
    const engine = await h.engine(config);
    await h.clock.advance(0);
    expect(engine.get('db')?.state).toMatchObject({ lifecycle: 'crashed', status: 'down' });
    const runs = h.count('db');
    await h.gates.refresh(); // the flag is still on: nothing restarts it
    await h.clock.advance(30_000);
    expect(engine.get('db')?.state.lifecycle).toBe('crashed');
    expect(h.count('db')).toBe(runs);

    h.scripts.set('db', ['ok']);
    h.setFlags({ 'monitor.db': false });
    await h.clock.flush();
    expect(engine.get('db')?.state.lifecycle).toBe('disabled');
    h.setFlags({ 'monitor.db': true });
    await h.clock.flush();
    await h.clock.advance(0);
    expect(engine.get('db')?.state).toMatchObject({ lifecycle: 'running', status: 'up' });
  });

  it('follows hot reloads: flag keys added, changed and removed, on monitors and groups', async () => {
    const h = await harness({ a: true, b: false, g: false });
    const first = h.config(`monitors:
  - { id: db, interval: 10s, flag: a, scripted: {} }
  - { id: api, group: web, interval: 10s, scripted: {} }
`);
    await h.gates.start(first);
    const engine = await h.engine(first);
    await h.clock.advance(0);
    const reload = async (yaml: string) => {
      const next = h.config(yaml);
      await h.gates.sync(next);
      await engine.apply(next);
    };
    const show = () => engine.list().map((m) => `${m.config.id}:${m.state.flagOff ?? '-'}`);

    await reload(`groups: [{ id: web, flag: g }]
monitors:
  - { id: db, interval: 10s, flag: b, scripted: {} }
  - { id: api, group: web, interval: 10s, scripted: {} }
`);
    expect(show()).toEqual(['db:b', 'api:g']); // db's flag changed to b (off); web's flag g is off

    await reload(`monitors:
  - { id: db, interval: 10s, scripted: {} }
  - { id: api, group: web, interval: 10s, scripted: {} }
`);
    expect(show()).toEqual(['db:-', 'api:-']);
    expect(engine.list().map((m) => m.state.lifecycle)).toEqual(['running', 'running']);
    expect(h.gates.list()).toEqual([]);
  });

  it('lists notifiers by their flag, and a flag that cannot be evaluated takes the fallback', async () => {
    const h = await harness({ 'notify.slack': false }, { fallback: false });
    const config = h.config(`monitors:
  - { id: db, interval: 10s, flag: no-such-flag, scripted: {} }
notifiers:
  - { id: slack, type: slack, flag: notify.slack, webhookUrl: "http://127.0.0.1:9/hook" }
  - { id: pager, type: pagerduty, routingKey: k }
`);
    await h.gates.start(config);
    const engine = await h.engine(config);
    expect(h.gates.isOn('notifier', 'slack')).toBe(false);
    expect(h.gates.isOn('notifier', 'pager')).toBe(true); // no flag: always on
    expect(engine.get('db')?.state).toMatchObject({
      lifecycle: 'disabled',
      flagOff: 'no-such-flag',
    });
    const [missing, slack] = h.gates.list();
    expect(missing).toMatchObject({
      flag: 'no-such-flag',
      on: false,
      evaluation: { fallback: true, errorCode: 'FLAG_NOT_FOUND' },
      monitors: ['db'],
    });
    expect(slack).toMatchObject({ flag: 'notify.slack', on: false, notifiers: ['slack'] });

    h.setFlags({ 'notify.slack': true, 'no-such-flag': true });
    await h.clock.flush();
    expect(h.gates.isOn('notifier', 'slack')).toBe(true);
    expect(engine.get('db')?.state.lifecycle).toBe('running');
  });

  it("one change of a group's flag stops and restarts its 500 monitors", async () => {
    const h = await harness({ 'group.bulk': true });
    const monitors = Array.from(
      { length: 500 },
      (_, i) => `  - { id: m${i}, group: bulk, interval: 1m, scripted: {} }`,
    ).join('\n');
    const config = h.config(`groups: [{ id: bulk, flag: group.bulk }]\nmonitors:\n${monitors}\n`);
    await h.gates.start(config);
    const engine = await h.engine(config);
    await h.clock.advance(0);
    const count = (lifecycle: string) =>
      engine.list().filter((m) => m.state.lifecycle === lifecycle).length;
    expect(count('running')).toBe(500);

    h.setFlags({ 'group.bulk': false });
    await h.clock.flush();
    expect(count('disabled')).toBe(500);
    const runs = h.runs.length;
    await h.clock.advance(120_000);
    expect(h.runs.length).toBe(runs);

    h.setFlags({ 'group.bulk': true });
    await h.clock.flush();
    await h.clock.advance(0);
    expect(count('running')).toBe(500);
    expect(h.runs.length).toBe(runs + 500); // each overdue: checked once at once
  });
});
