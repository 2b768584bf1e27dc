import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { createSupervisor } from '../supervision/index.js';
import { createFlagSupervisor, type FlagSupervisor } from './flag-supervisor.js';
import { inMemory, probe } from '../../test/flag-kit.js';

/** Records every event as a short line: `name childId detail`. */
function record(sup: FlagSupervisor): string[] {
  const log: string[] = [];
  const add = (line: string): void => void log.push(line.trim());
  sup.on('flag-changed', (e) => add(`flag-changed ${e.childId} ${e.previous}→${e.on}`));
  sup.on('started', (e) => add(`started ${e.childId}`));
  sup.on('stopped', (e) => add(`stopped ${e.childId} ${e.reason}`));
  sup.on('exited', (e) => add(`exited ${e.childId} ${e.exit.reason}`));
  sup.on('crashed', (e) => add(`crashed ${e.childId} ${e.exit.reason}`));
  return log;
}

describe('FlagSupervisor', () => {
  it('starts the children whose flags are on, and starts and stops them as the flags change', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ a: true, b: false });
    const a = probe();
    const b = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [
        { id: 'a', flag: 'a', task: a.task },
        { id: 'b', flag: 'b', task: b.task },
      ],
    });
    const log = record(sup);
    await sup.start();
    expect([a.live, b.live]).toEqual([1, 0]);
    expect(log).toEqual([
      'flag-changed a undefined→true',
      'started a',
      'flag-changed b undefined→false',
    ]);

    log.length = 0;
    flags.set({ a: false, b: true });
    await clock.flush(); // the provider's change event: no poll needed
    expect([a.live, b.live]).toEqual([0, 1]);
    expect(log).toEqual([
      'flag-changed a true→false',
      'flag-changed b false→true',
      'started b',
      'stopped a flag-off',
    ]);
    expect(sup.getChild('a')).toMatchObject({ state: 'disabled', flag: 'a', flagOn: false });
    expect(sup.getChild('b')).toMatchObject({ state: 'running', flagOn: true });
    expect(sup.getChild('b')?.evaluation).toMatchObject({
      on: true,
      fallback: false,
      reason: 'STATIC',
    });

    await sup.stop();
    expect(b.live).toBe(0);
    expect(log.at(-1)).toBe('stopped b shutdown');
    expect(sup.getChild('b')?.state).toBe('stopped');
  });

  it('restarts a child within its intensity, then keeps it down until its flag is cycled off and on', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task, intensity: 2, periodMs: 10_000 }],
    });
    const log = record(sup);
    await sup.start();
    log.length = 0;

    child.crash();
    await clock.flush();
    child.crash();
    await clock.flush();
    expect(child.runs).toBe(3); // two restarts allowed
    expect(sup.getChild('c')).toMatchObject({ state: 'running', restarts: 2 });

    child.crash(new Error('third'));
    await clock.flush();
    expect(log).toEqual([
      'exited c crashed',
      'started c',
      'exited c crashed',
      'started c',
      'exited c crashed',
      'crashed c crashed',
    ]);
    const crashed = sup.getChild('c');
    expect(crashed?.state).toBe('crashed');
    expect((crashed?.crash?.exit.error as Error).message).toBe('third');
    expect(crashed?.crash?.at).toBe(clock.now());
    expect(sup.countChildren()).toMatchObject({ specs: 1, active: 0, crashed: 1, disabled: 0 });

    // The flag stays on: polls come and go, the child stays down.
    await clock.advance(5000);
    expect(child.runs).toBe(3);
    expect(sup.getChild('c')?.state).toBe('crashed');

    flags.set({ f: false });
    await clock.flush();
    expect(sup.getChild('c')).toMatchObject({ state: 'disabled', crash: undefined });
    flags.set({ f: true });
    await clock.flush();
    expect(child.runs).toBe(4);
    expect(sup.getChild('c')).toMatchObject({ state: 'running', restarts: 0 });
    await sup.stop();
  });

  it('counts a child that keeps returning as crashed too, and intensity 0 gives up at the first exit', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task, intensity: 0 }],
    });
    await sup.start();
    child.finish();
    await clock.flush();
    expect(sup.getChild('c')?.crash?.exit.reason).toBe('normal');
    expect(child.runs).toBe(1);
    await sup.stop();
  });

  it('restarting the supervisor forgets crashes ("or the application restarts")', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task, intensity: 0 }],
    });
    await sup.start();
    child.crash();
    await clock.flush();
    expect(sup.getChild('c')?.state).toBe('crashed');
    await sup.stop();
    await sup.start();
    expect(sup.getChild('c')?.state).toBe('running');
    expect(child.runs).toBe(2);
    await sup.stop();
  });

  it('runs inside a supervision tree and is stopped with it', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe();
    const sup = createFlagSupervisor({
      id: 'flags',
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    const root = createSupervisor({ id: 'root', clock, children: [{ id: 'flags', task: sup }] });
    await root.start();
    expect(root.whichChildren()).toMatchObject([
      { id: 'flags', status: 'running', kind: 'supervisor' },
    ]);
    expect(child.live).toBe(1);
    await expect(sup.start()).rejects.toThrow('"flags" is already running');
    await root.stop();
    expect(child.live).toBe(0);
  });

  it('waits for children that wait for ready before it reports ready itself', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    let ready: (() => void) | undefined;
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [
        {
          id: 'slow',
          flag: 'f',
          task: {
            waitsForReady: true,
            run: (ctx) => {
              ready = ctx.ready;
              return new Promise<void>((r) => ctx.onStop(r));
            },
          },
        },
      ],
    });
    let started = false;
    const starting = sup.start().then(() => (started = true));
    await clock.flush();
    expect(started).toBe(false);
    expect(sup.getChild('slow')?.state).toBe('starting');
    expect(sup.runningChild('slow')).toBeUndefined();
    ready?.();
    await starting;
    expect(sup.getChild('slow')?.state).toBe('running');
    await sup.stop();
  });

  it('adds and removes children at runtime, looks running ones up by id and lists every flag', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ on: true, off: false });
    const sup = createFlagSupervisor({ client: flags.client, clock });
    await sup.start();
    const x = probe();
    const y = probe();
    const z = probe();
    await expect(sup.addChild({ id: 'x', flag: 'on', task: x.task })).resolves.toMatchObject({
      state: 'running',
    });
    await expect(sup.addChild({ id: 'y', flag: 'off', task: y.task })).resolves.toMatchObject({
      state: 'disabled',
    });
    await sup.addChild({ id: 'z', flag: 'on', task: z.task });
    await expect(sup.addChild({ id: 'x', flag: 'on', task: x.task })).rejects.toMatchObject({
      code: 'ALREADY_STARTED',
    });

    expect(sup.runningChild('x')).toBe(x.task);
    expect(sup.runningChild('y')).toBeUndefined();
    expect(sup.runningChild('nope')).toBeUndefined();
    expect(sup.flags().map((f) => [f.flag, f.children.map((c) => `${c.id}:${c.state}`)])).toEqual([
      ['off', ['y:disabled']],
      ['on', ['x:running', 'z:running']],
    ]);
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['x', 'y', 'z']);
    expect(sup.countChildren()).toEqual({
      specs: 3,
      active: 2,
      supervisors: 0,
      workers: 3,
      disabled: 1,
      crashed: 0,
    });

    await expect(sup.removeChild('x')).resolves.toBe(true);
    expect(x.live).toBe(0);
    await expect(sup.removeChild('y')).resolves.toBe(true);
    await expect(sup.removeChild('x')).resolves.toBe(false);
    expect(sup.getChild('x')).toBeUndefined();
    expect(sup.flags().map((f) => f.flag)).toEqual(['on']);
    await sup.stop();
  });

  it('accepts children before it starts; they start with it', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const sup = createFlagSupervisor({ client: flags.client, clock });
    const child = probe();
    await expect(sup.addChild({ id: 'c', flag: 'f', task: child.task })).resolves.toMatchObject({
      state: 'stopped',
      flagOn: undefined,
    });
    await expect(sup.removeChild('c')).resolves.toBe(true);
    await sup.addChild({ id: 'c', flag: 'f', task: child.task });
    await sup.start();
    expect(child.live).toBe(1);
    await sup.stop();
  });

  it('evaluates each child with its own context; children that share flag and context share one evaluation', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({});
    flags.provider.putConfiguration({
      region: {
        variants: { on: true, off: false },
        defaultVariant: 'off',
        disabled: false,
        contextEvaluator: (ctx) => (ctx.region === 'eu' ? 'on' : 'off'),
      },
    });
    let evaluations = 0;
    flags.client.addHooks({
      before: () => {
        evaluations++;
      },
    });
    const children = ['eu', 'eu', 'us'].map((region, i) => ({
      id: `m${i}`,
      flag: 'region',
      context: { region },
      task: probe().task,
    }));
    const sup = createFlagSupervisor({ client: flags.client, clock, children });
    await sup.start();
    expect(sup.whichChildren().map((c) => c.state)).toEqual(['running', 'running', 'disabled']);
    expect(evaluations).toBe(2);
    expect(sup.getChild('m0')?.context).toEqual({ region: 'eu' });
    await sup.stop();
  });

  it('flips 1,000 children with one configuration change', async () => {
    const clock = new FakeClock();
    const keys = Array.from({ length: 1000 }, (_, i) => `flag-${i}`);
    const all = (on: boolean) => Object.fromEntries(keys.map((k) => [k, on]));
    const flags = await inMemory(all(false));
    const probes = keys.map(() => probe());
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: keys.map((flag, i) => ({ id: `c${i}`, flag, task: probes[i]!.task })),
    });
    const started = sup.start();
    await clock.advance(0); // the round pauses every 256 evaluations on a zero timer
    await started;
    expect(sup.countChildren().disabled).toBe(1000);

    flags.set(all(true));
    await clock.advance(0);
    expect(sup.countChildren().active).toBe(1000);
    expect(probes.every((p) => p.runs === 1 && p.live === 1)).toBe(true);

    flags.set(all(false));
    await clock.advance(0);
    expect(sup.countChildren()).toMatchObject({ active: 0, disabled: 1000 });
    expect(probes.every((p) => p.runs === 1 && p.live === 0 && p.maxLive === 1)).toBe(true);
    await sup.stop();
  });
});
