// The state table, driven through a running FlagSupervisor: each reachable combination of the child's flag,
// crash record and running state, and what the supervisor does about it. (`crashed and running` cannot be
// reached through the public API — a crash is recorded only when the child has exited — so those two rows
// are covered by the pure table in state-table.test.ts.)
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { createFlagSupervisor } from './flag-supervisor.js';
import { inMemory, probe } from '../../test/flag-kit.js';

async function setup(initiallyOn: boolean, crash: boolean) {
  const clock = new FakeClock();
  const flags = await inMemory({ f: initiallyOn });
  const child = probe();
  const sup = createFlagSupervisor({
    client: flags.client,
    clock,
    children: [{ id: 'c', flag: 'f', task: child.task, intensity: 0 }],
  });
  await sup.start();
  if (crash) {
    child.crash();
    await clock.flush();
    expect(sup.getChild('c')?.state).toBe('crashed');
  }
  return { clock, flags, child, sup };
}

describe('FlagSupervisor applies the state table', () => {
  const cases = [
    // [evaluated flag, crashed before, running before] → expected
    { on: true, crashed: false, running: false, expect: 'start' },
    { on: true, crashed: false, running: true, expect: 'none (keeps running)' },
    { on: true, crashed: true, running: false, expect: 'none (stays down)' },
    { on: false, crashed: false, running: true, expect: 'stop' },
    { on: false, crashed: true, running: false, expect: 'forget the crash' },
    { on: false, crashed: false, running: false, expect: 'none (stays disabled)' },
  ] as const;

  it.each(cases)('flag on $on, crashed $crashed, running $running → $expect', async (c) => {
    const { clock, flags, child, sup } = await setup(c.running || c.crashed, c.crashed);
    const runsBefore = child.runs;
    expect(child.live).toBe(c.running ? 1 : 0);

    flags.set({ f: c.on });
    await clock.flush();
    await sup.refresh(); // and a poll-style round on top of the change event

    const info = sup.getChild('c');
    switch (c.expect) {
      case 'start':
        expect(child.runs).toBe(runsBefore + 1);
        expect(info?.state).toBe('running');
        break;
      case 'none (keeps running)':
        expect(child.runs).toBe(runsBefore);
        expect(info?.state).toBe('running');
        break;
      case 'none (stays down)':
        expect(child.runs).toBe(runsBefore);
        expect(info?.state).toBe('crashed');
        expect(info?.crash?.exit.reason).toBe('crashed');
        break;
      case 'stop':
        expect(info?.state).toBe('disabled');
        break;
      case 'forget the crash':
        expect(info?.crash).toBeUndefined();
        expect(info?.state).toBe('disabled');
        break;
      case 'none (stays disabled)':
        expect(child.runs).toBe(0);
        expect(info?.state).toBe('disabled');
        break;
    }
    expect(child.live).toBe(info?.state === 'running' ? 1 : 0);
    expect(child.maxLive).toBeLessThanOrEqual(1);
    await sup.stop();
  });
});
