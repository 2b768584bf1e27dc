import { describe, expect, it } from 'vitest';
import { probe, type Probe } from '../../test/probe-task.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode, type RestartIntensityError } from '../errors/index.js';
import type { RestartType } from './child-spec.js';
import type { SupervisorEvents } from './events.js';
import { createSupervisor, type Strategy, type Supervisor } from './supervisor.js';

interface Tree {
  readonly sup: Supervisor;
  readonly log: string[];
  readonly probes: Record<'a' | 'b' | 'c', Probe>;
  readonly clock: FakeClock;
  readonly events: string[];
}

function tree(
  strategy: Strategy,
  restarts: Partial<Record<string, RestartType>> = {},
  extra: { intensity?: number; periodMs?: number } = {},
): Tree {
  const clock = new FakeClock();
  const log: string[] = [];
  const events: string[] = [];
  const probes = { a: probe('a', log), b: probe('b', log), c: probe('c', log) };
  const sup = createSupervisor({
    id: 'root',
    strategy,
    clock,
    ...extra,
    children: (['a', 'b', 'c'] as const).map((id) => ({
      id,
      task: probes[id].task,
      restart: restarts[id] ?? 'permanent',
    })),
  });
  for (const name of ['started', 'exited', 'restarted', 'gave-up'] as const) {
    sup.on(name, (e: SupervisorEvents[typeof name]) =>
      events.push(
        `${name}${'childId' in e ? `:${e.childId}` : ''}${'exit' in e ? `:${e.exit.reason}` : ''}`,
      ),
    );
  }
  return { sup, log, probes, clock, events };
}

const exits = {
  normal: (p: Probe) => p.exit(),
  shutdown: (p: Probe) => p.exitShutdown(),
  crash: (p: Probe) => p.crash(),
} as const;

/** What OTP does after child b of [a, b, c] exits, by strategy: the log of stops and starts. */
const restartLog: Record<Strategy, string[]> = {
  one_for_one: ['start:b'],
  one_for_all: ['stop:c', 'stop:a', 'start:a', 'start:b', 'start:c'],
  rest_for_one: ['stop:c', 'start:b', 'start:c'],
};

/** Whether b is restarted, by restart type and exit reason (OTP). */
const restarted: Record<RestartType, Record<keyof typeof exits, boolean>> = {
  permanent: { normal: true, shutdown: true, crash: true },
  transient: { normal: false, shutdown: false, crash: true },
  temporary: { normal: false, shutdown: false, crash: false },
};

describe('Supervisor: strategy × restart type × exit reason', () => {
  const cases = (['one_for_one', 'one_for_all', 'rest_for_one'] as const).flatMap((strategy) =>
    (['permanent', 'transient', 'temporary'] as const).flatMap((restart) =>
      (['normal', 'shutdown', 'crash'] as const).map((exit) => [strategy, restart, exit] as const),
    ),
  );

  it.each(cases)('%s, b %s, exit %s', async (strategy, restart, exit) => {
    const t = tree(strategy, { b: restart });
    await t.sup.start();
    expect(t.log).toEqual(['start:a', 'start:b', 'start:c']);
    t.log.length = 0;
    exits[exit](t.probes.b);
    await t.clock.flush();
    const expected = restarted[restart][exit] ? restartLog[strategy] : [];
    expect(t.log).toEqual(expected);
    const ids = t.sup.whichChildren().map((c) => c.id);
    expect(ids).toEqual(restart === 'temporary' ? ['a', 'c'] : ['a', 'b', 'c']);
    const bInfo = t.sup.whichChildren().find((c) => c.id === 'b');
    if (bInfo !== undefined) {
      expect(bInfo.status).toBe(restarted[restart][exit] ? 'running' : 'stopped');
      expect(bInfo.restarts).toBe(restarted[restart][exit] ? 1 : 0);
    }
    await t.sup.stop();
  });
});

describe('Supervisor: ordering and lifecycle', () => {
  it('starts children in order, each after the previous is ready, and stops them in reverse', async () => {
    const t = tree('one_for_one');
    await t.sup.start();
    expect(t.events).toEqual(['started:a', 'started:b', 'started:c']);
    t.log.length = 0;
    t.events.length = 0;
    await expect(t.sup.stop()).resolves.toEqual({ reason: 'shutdown' });
    expect(t.log).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(t.events).toEqual(['exited:c:shutdown', 'exited:b:shutdown', 'exited:a:shutdown']);
    expect(t.sup.countChildren()).toEqual({ specs: 3, active: 0, supervisors: 0, workers: 3 });
  });

  it('one_for_all removes a temporary sibling instead of restarting it', async () => {
    const t = tree('one_for_all', { a: 'temporary' });
    await t.sup.start();
    t.log.length = 0;
    t.probes.c.crash();
    await t.clock.flush();
    expect(t.log).toEqual(['stop:b', 'stop:a', 'start:b', 'start:c']);
    expect(t.sup.whichChildren().map((c) => c.id)).toEqual(['b', 'c']);
    await t.sup.stop();
  });

  it('reports restarts and counts', async () => {
    const t = tree('one_for_one');
    await t.sup.start();
    t.probes.a.crash();
    await t.clock.flush();
    expect(t.events.slice(3)).toEqual(['exited:a:crashed', 'started:a', 'restarted:a']);
    expect(t.sup.countChildren()).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
    await t.sup.stop();
  });
});

describe('Supervisor: restart intensity (a sliding window on the monotonic clock)', () => {
  async function crashAt(times: number[]): Promise<Tree> {
    const t = tree('one_for_one', {}, { intensity: 3, periodMs: 5000 });
    await t.sup.start();
    for (const at of times) {
      await t.clock.advanceTo(at);
      t.probes.a.crash();
      await t.clock.flush();
    }
    return t;
  }

  it('allows 3 restarts within 4.999 s and gives up on a 4th', async () => {
    const t = await crashAt([0, 1000, 2000, 4999]);
    const exit = await t.sup.done!;
    expect(exit.reason).toBe('crashed');
    expect(hasErrorCode(exit.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
    const error = exit.error as RestartIntensityError;
    expect(error.childId).toBe('a');
    expect((error.cause as Error).message).toBe('a crashed');
    expect(error.message).toMatch(
      /supervisor "root" gave up: child "a" needed restart 4 within 5000 ms/,
    );
    expect(t.events.at(-1)).toBe('gave-up');
    // it stopped the other children, in reverse order, before giving up
    expect(t.log.slice(-2)).toEqual(['stop:c', 'stop:b']);
  });

  it('allows the 4th restart once the 1st is exactly 5 s old', async () => {
    const t = await crashAt([0, 1000, 2000, 5000]);
    expect(t.probes.a.runs).toBe(5);
    expect(t.probes.a.running).toBe(true);
    await t.sup.stop();
  });

  it('intensity 0 gives up on the first restart', async () => {
    const t = tree('one_for_one', {}, { intensity: 0 });
    await t.sup.start();
    t.probes.b.crash();
    const exit = await t.sup.done!;
    expect(hasErrorCode(exit.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
    expect(t.probes.b.runs).toBe(1);
  });

  it('a clean exit of a transient child costs no intensity', async () => {
    const t = tree('one_for_one', { a: 'transient' }, { intensity: 0 });
    await t.sup.start();
    t.probes.a.exit();
    await t.clock.flush();
    t.probes.b.exitShutdown();
    await t.clock.flush();
    // b is permanent: the restart of b is the first and only one allowed by intensity 0 → gives up
    const exit = await t.sup.done!;
    expect(hasErrorCode(exit.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
    expect((exit.error as RestartIntensityError).childId).toBe('b');
  });
});

describe('Supervisor: escalation through a 3-level tree', () => {
  it('a crashing leaf takes down its supervisor, whose restarts take down the root', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const leaf = probe('leaf', log);
    const sibling = probe('sibling', log);
    const mid = createSupervisor({
      id: 'mid',
      clock,
      intensity: 1,
      children: [{ id: 'leaf', task: leaf.task }],
    });
    const root = createSupervisor({
      id: 'root',
      clock,
      intensity: 1,
      children: [
        { id: 'sibling', task: sibling.task },
        { id: 'mid', task: mid },
      ],
    });
    const gaveUp: string[] = [];
    mid.on('gave-up', (e) => gaveUp.push(e.supervisorId));
    root.on('gave-up', (e) => gaveUp.push(e.supervisorId));
    await root.start();
    expect(root.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });

    // leaf crash 1: mid restarts it. leaf crash 2: mid gives up → root restarts mid (root restart 1).
    leaf.crash();
    await clock.flush();
    leaf.crash();
    await clock.flush();
    expect(gaveUp).toEqual(['mid']);
    expect(leaf.runs).toBe(3);
    expect(root.whichChildren().find((c) => c.id === 'mid')?.restarts).toBe(1);

    // twice more: mid gives up again → root restart 2 > intensity 1 → root gives up.
    leaf.crash();
    await clock.flush();
    leaf.crash();
    const exit = await root.done!;
    expect(gaveUp).toEqual(['mid', 'mid', 'root']);
    expect(exit.reason).toBe('crashed');
    const rootError = exit.error as RestartIntensityError;
    expect(rootError.childId).toBe('mid');
    const midError = rootError.cause as RestartIntensityError;
    expect(midError.supervisorId).toBe('mid');
    expect((midError.cause as Error).message).toBe('leaf crashed');
    expect(sibling.running).toBe(false);
    expect(log.at(-1)).toBe('stop:sibling');
  });
});

describe('Supervisor: shutdown', () => {
  it('abandons a child that ignores its signal after its shutdown timeout, then stops the rest', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const stubborn = probe('stubborn', log, { onStop: 'ignore' });
    const polite = probe('polite', log);
    const sup = createSupervisor({
      clock,
      children: [
        { id: 'polite', task: polite.task },
        { id: 'stubborn', task: stubborn.task, shutdownMs: 2000 },
      ],
    });
    const abandoned: string[] = [];
    sup.on('abandoned', (e) =>
      abandoned.push(`${e.childId}@${clock.monotonic()}ms/${e.shutdownMs}`),
    );
    await sup.start();
    const stopping = sup.stop();
    await clock.advance(1999);
    expect(log).toEqual(['start:polite', 'start:stubborn', 'stop:stubborn']);
    await clock.advance(1);
    await expect(stopping).resolves.toEqual({ reason: 'shutdown' });
    expect(abandoned).toEqual(['stubborn@2000ms/2000']);
    expect(log.at(-1)).toBe('stop:polite');
    const info = sup.whichChildren().find((c) => c.id === 'stubborn');
    expect(info?.status).toBe('stopped');
  });

  it('uses a 5 s shutdown timeout by default', async () => {
    const clock = new FakeClock();
    const stubborn = probe('s', [], { onStop: 'ignore' });
    const sup = createSupervisor({ clock, children: [{ id: 's', task: stubborn.task }] });
    const exits: string[] = [];
    sup.on('exited', (e) => exits.push(`${e.exit.reason}@${clock.monotonic()}`));
    await sup.start();
    const stopping = sup.stop();
    await clock.advance(5000);
    await stopping;
    expect(exits).toEqual(['killed@5000']);
  });

  it('a crash during shutdown is reported, not restarted', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const p = probe('p', log, { onStop: 'throw' });
    const sup = createSupervisor({ clock, children: [{ id: 'p', task: p.task }] });
    const exits: unknown[] = [];
    sup.on('exited', (e) => exits.push(e.exit));
    await sup.start();
    await expect(sup.stop()).resolves.toEqual({ reason: 'shutdown' });
    expect(exits).toEqual([{ reason: 'crashed', error: new Error('p failed while stopping') }]);
    expect(p.runs).toBe(1);
  });
});

describe('Supervisor: a crash inside init', () => {
  it('at start: stops the children already started, in reverse, and fails with START_FAILED', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const a = probe('a', log);
    const b = probe('b', log);
    const bad = probe('bad', log, { failInit: () => true, waitsForReady: true });
    const sup = createSupervisor({
      id: 'app',
      clock,
      children: [
        { id: 'a', task: a.task },
        { id: 'b', task: b.task },
        { id: 'bad', task: bad.task },
      ],
    });
    const error: unknown = await sup.start().catch((e: unknown) => e);
    expect(hasErrorCode(error, 'START_FAILED')).toBe(true);
    expect((error as Error).message).toBe(
      'child "bad" of supervisor "app" failed to start: bad init failed',
    );
    expect(log).toEqual(['start:a', 'start:b', 'start:bad', 'init-crash:bad', 'stop:b', 'stop:a']);
    expect(bad.runs).toBe(1);
  });

  it('during a restart: counts as another crash and is retried within intensity', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    let failures = 2;
    const flaky = probe('flaky', log, {
      failInit: () => flaky.runs > 1 && failures-- > 0,
      waitsForReady: true,
    });
    const sup = createSupervisor({
      clock,
      intensity: 3,
      children: [{ id: 'flaky', task: flaky.task }],
    });
    await sup.start();
    flaky.crash();
    await clock.flush();
    expect(log).toEqual([
      'start:flaky',
      'start:flaky',
      'init-crash:flaky',
      'start:flaky',
      'init-crash:flaky',
      'start:flaky',
    ]);
    expect(flaky.running).toBe(true);
    await sup.stop();
  });
});

describe('Supervisor: bad options throw at construction, naming the option', () => {
  const task = async (): Promise<void> => {};
  it.each([
    [{ intensity: -1, children: [] }, /intensity must be an integer >= 0, got -1/],
    [{ intensity: 1.5, children: [] }, /intensity must be an integer >= 0/],
    [{ periodMs: 0, children: [] }, /periodMs must be a number of ms > 0/],
    [
      { strategy: 'one_for_none', children: [] },
      /strategy must be one of one_for_one, one_for_all, rest_for_one/,
    ],
    [{ children: 'x' }, /children must be an array/],
    [
      {
        children: [
          { id: 'a', task },
          { id: 'a', task },
        ],
      },
      /children\[1\]\.id "a" is a duplicate/,
    ],
    [{ children: [{ id: '', task }] }, /children\[0\]\.id must be a non-empty string/],
    [{ children: [{ id: 'x', task: 5 }] }, /children\[0\]\.task \(child "x"\) must be a function/],
    [
      { children: [{ id: 'x', task, restart: 'sometimes' }] },
      /children\[0\]\.restart \(child "x"\) must be one of/,
    ],
    [
      { children: [{ id: 'x', task, shutdownMs: Number.NaN }] },
      /children\[0\]\.shutdownMs \(child "x"\)/,
    ],
  ])('%#', (options, message) => {
    expect(() => createSupervisor(options as never)).toThrow(message);
  });
});
