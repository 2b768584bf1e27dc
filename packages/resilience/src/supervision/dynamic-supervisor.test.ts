import { describe, expect, it } from 'vitest';
import { probe } from '../../test/probe-task.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { createDynamicSupervisor } from './dynamic-supervisor.js';

async function started(options: Parameters<typeof createDynamicSupervisor>[0] = {}) {
  const clock = new FakeClock();
  const sup = createDynamicSupervisor({ id: 'dyn', clock, ...options });
  await sup.start();
  return { sup, clock, log: [] as string[] };
}

describe('DynamicSupervisor', () => {
  it('starts children at runtime and resolves with their id once ready', async () => {
    const { sup, log } = await started();
    const a = probe('a', log, { waitsForReady: true });
    await expect(sup.startChild({ id: 'a', task: a.task })).resolves.toBe('a');
    const generated = await sup.startChild({ task: probe('x', log).task });
    expect(generated).toBe('child-1');
    expect(sup.getChild('a')).toMatchObject({
      id: 'a',
      status: 'running',
      restart: 'permanent',
      restarts: 0,
    });
    expect(sup.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    await sup.stop();
  });

  it('refuses duplicates, too many children, and starts while not running', async () => {
    const { sup } = await started({ maxChildren: 1 });
    await sup.startChild({ id: 'a', task: probe('a', []).task });
    const dup = await sup
      .startChild({ id: 'a', task: probe('a', []).task })
      .catch((e: unknown) => e);
    expect(hasErrorCode(dup, 'ALREADY_STARTED')).toBe(true);
    const full = await sup
      .startChild({ id: 'b', task: probe('b', []).task })
      .catch((e: unknown) => e);
    expect(hasErrorCode(full, 'MAX_CHILDREN')).toBe(true);
    expect((full as Error).message).toMatch(/maximum of 1 children/);
    await sup.stop();
    const stopped = await sup
      .startChild({ id: 'c', task: probe('c', []).task })
      .catch((e: unknown) => e);
    expect(hasErrorCode(stopped, 'NOT_RUNNING')).toBe(true);
  });

  it('a child that crashes before it is ready fails startChild and is forgotten', async () => {
    const { sup } = await started();
    const bad = probe('bad', [], { failInit: () => true, waitsForReady: true });
    const error = await sup.startChild({ id: 'bad', task: bad.task }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'START_FAILED')).toBe(true);
    expect(sup.getChild('bad')).toBeUndefined();
    expect(bad.runs).toBe(1);
    await sup.stop();
  });

  it('restarts permanent children, forgets temporary and cleanly exited transient ones', async () => {
    const { sup, clock, log } = await started({ intensity: 10 });
    const perm = probe('perm', log);
    const trans = probe('trans', log);
    const temp = probe('temp', log);
    await sup.startChild({ id: 'perm', task: perm.task });
    await sup.startChild({ id: 'trans', task: trans.task, restart: 'transient' });
    await sup.startChild({ id: 'temp', task: temp.task, restart: 'temporary' });
    const restarted: string[] = [];
    sup.on('restarted', (e) => restarted.push(e.childId));
    perm.exit();
    trans.crash();
    temp.crash();
    await clock.flush();
    expect(restarted).toEqual(['perm', 'trans']);
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['perm', 'trans']);
    trans.exit();
    await clock.flush();
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['perm']);
    expect(sup.getChild('perm')?.restarts).toBe(1);
    await sup.stop();
  });

  it('terminateChild stops and forgets one child; unknown ids give undefined', async () => {
    const { sup, log } = await started();
    await sup.startChild({ id: 'a', task: probe('a', log).task });
    await expect(sup.terminateChild('a')).resolves.toEqual({ reason: 'shutdown' });
    expect(log).toEqual(['start:a', 'stop:a']);
    expect(sup.getChild('a')).toBeUndefined();
    await expect(sup.terminateChild('nope')).resolves.toBeUndefined();
    await sup.stop();
  });

  it('shuts its children down concurrently, each within its own timeout', async () => {
    const { sup, clock } = await started();
    for (const id of ['a', 'b', 'c']) {
      await sup.startChild({
        id,
        task: probe(id, [], { onStop: 'ignore' }).task,
        shutdownMs: 1000,
      });
    }
    let stoppedAt: number | undefined;
    void sup.stop().then(() => (stoppedAt = clock.monotonic()));
    await clock.advance(1000);
    expect(stoppedAt).toBe(1000); // not 3,000: the three timeouts ran side by side
  });

  it('gives up past its intensity, counted over all children, and exits with the error', async () => {
    const { sup, clock } = await started({ intensity: 2, periodMs: 1000 });
    const a = probe('a', []);
    const b = probe('b', []);
    await sup.startChild({ id: 'a', task: a.task });
    await sup.startChild({ id: 'b', task: b.task });
    a.crash();
    await clock.flush();
    b.crash();
    await clock.flush();
    expect(sup.countChildren().active).toBe(2);
    a.crash();
    const exit = await sup.done!;
    expect(exit.reason).toBe('crashed');
    expect(hasErrorCode(exit.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
    expect(b.running).toBe(false);
    expect(sup.countChildren().specs).toBe(0);
  });

  it('a child with a restart limit of its own is given up alone, outside the supervisor window', async () => {
    const { sup, clock } = await started({ intensity: 1, periodMs: 1000 });
    const own = probe('own', []);
    const other = probe('other', []);
    await sup.startChild({ id: 'own', task: own.task, intensity: 2, periodMs: 1000 });
    await sup.startChild({ id: 'other', task: other.task });
    const gaveUp: { childId: string; error: unknown }[] = [];
    sup.on('child-gave-up', (e) => gaveUp.push(e));
    own.crash(new Error('first'));
    await clock.flush();
    own.crash(new Error('second'));
    await clock.flush();
    // Two restarts: within its own limit, and the supervisor's limit of 1 is not touched.
    expect(sup.getChild('own')).toMatchObject({ status: 'running', restarts: 2 });
    // Its window slides: a crash 1 s after the first no longer sees that first.
    await clock.advance(1000);
    own.crash(new Error('third'));
    await clock.flush();
    expect(sup.getChild('own')?.restarts).toBe(3);
    own.crash(new Error('fourth'));
    await clock.flush();
    own.crash(new Error('fifth'));
    await clock.flush();
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.childId).toBe('own');
    expect(hasErrorCode(gaveUp[0]?.error, 'RESTART_INTENSITY_EXCEEDED')).toBe(true);
    expect((gaveUp[0]?.error as Error).cause).toMatchObject({ message: 'fifth' });
    expect(own.runs).toBe(5);
    expect(sup.getChild('own')).toBeUndefined();
    // The supervisor and its other child run on.
    expect(other.running).toBe(true);
    expect(sup.countChildren()).toMatchObject({ specs: 1, active: 1 });
    // An id given up can be started again.
    await sup.startChild({ id: 'own', task: own.task, intensity: 2 });
    expect(own.running).toBe(true);
    await sup.stop();
  });

  it('validates a child restart limit, naming the child', async () => {
    const { sup } = await started();
    await expect(
      sup.startChild({ id: 'x', task: probe('x', []).task, intensity: -1 }),
    ).rejects.toThrow(/startChild \(child "x"\): intensity must be an integer >= 0, got -1/);
    await expect(
      sup.startChild({ id: 'y', task: probe('y', []).task, periodMs: 0 }),
    ).rejects.toThrow(/\(child "y"\): periodMs must be a number of ms > 0, got 0/);
    await sup.stop();
  });

  it('validates its options', () => {
    expect(() => createDynamicSupervisor({ maxChildren: -1 })).toThrow(
      /maxChildren must be an integer >= 0/,
    );
    expect(() => createDynamicSupervisor({ intensity: Number.NaN })).toThrow(
      /intensity must be an integer/,
    );
  });

  it('rejects a child spec with a bad field, naming it', async () => {
    const { sup } = await started();
    await expect(
      sup.startChild({ id: 'x', task: probe('x', []).task, restart: 'often' as never }),
    ).rejects.toThrow(
      /startChild\.restart \(child "x"\) must be one of permanent, transient, temporary/,
    );
    await sup.stop();
  });
});
