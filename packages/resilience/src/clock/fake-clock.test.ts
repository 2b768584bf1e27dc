import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('starts at the configured wall time with monotonic 0', () => {
    const clock = new FakeClock({ startWall: 1_000_000 });
    expect(clock.now()).toBe(1_000_000);
    expect(clock.monotonic()).toBe(0);
  });

  it('fires due timers in time order, insertion order on ties', async () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('c@30'));
    clock.setTimer(10, () => fired.push('a@10'));
    clock.setTimer(10, () => fired.push('b@10'));
    clock.setTimer(31, () => fired.push('d@31'));
    await clock.advance(30);
    expect(fired).toEqual(['a@10', 'b@10', 'c@30']);
    expect(clock.monotonic()).toBe(30);
    await clock.advance(1);
    expect(fired).toEqual(['a@10', 'b@10', 'c@30', 'd@31']);
  });

  it('reports the time of the firing timer inside its callback', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimer(5, () => seen.push(clock.monotonic()));
    clock.setTimer(7, () => seen.push(clock.monotonic()));
    await clock.advance(100);
    expect(seen).toEqual([5, 7]);
  });

  it('lets promise chains settle between timers, as in real time', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        await Promise.resolve();
        log.push(`tick ${i} at ${clock.monotonic()}`);
      }
    };
    const done = worker();
    await clock.advance(250);
    expect(log).toEqual(['tick 0 at 100', 'tick 1 at 200']);
    await clock.advance(50);
    await done;
    expect(log).toEqual(['tick 0 at 100', 'tick 1 at 200', 'tick 2 at 300']);
  });

  it('fires timers scheduled by other timers within the same advance', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const rearm = (): void => {
      at.push(clock.monotonic());
      if (at.length < 5) clock.setTimer(10, rearm);
    };
    clock.setTimer(10, rearm);
    await clock.advance(35);
    expect(at).toEqual([10, 20, 30]);
  });

  it('does not fire cancelled or disposed timers', async () => {
    const clock = new FakeClock();
    let fired = 0;
    const t = clock.setTimer(10, () => fired++);
    t.cancel();
    t.cancel();
    {
      using _disposed = clock.setTimer(10, () => fired++);
    }
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(20);
    expect(fired).toBe(0);
  });

  it('clamps negative delays to 0, never fires Infinity and rejects NaN', async () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimer(-5, () => fired++);
    clock.setTimer(Infinity, () => fired++);
    expect(() => clock.setTimer(Number.NaN, () => fired++)).toThrow(/NaN/);
    await clock.advance(0);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleep rejects with the signal reason when aborted, at once if already aborted', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop now'));
    await expect(sleeping).rejects.toThrow('stop now');
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.sleep(10, controller.signal)).rejects.toThrow('stop now');
  });

  it('runNext jumps to the next timer; runAll drains and guards against endless re-arming', async () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimer(500, () => fired.push(clock.monotonic()));
    clock.setTimer(100, () => fired.push(clock.monotonic()));
    expect(clock.nextTimerAt()).toBe(100);
    expect(await clock.runNext()).toBe(true);
    expect(fired).toEqual([100]);
    expect(await clock.runAll()).toBe(1);
    expect(fired).toEqual([100, 500]);
    expect(await clock.runNext()).toBe(false);

    const forever = (): void => void clock.setTimer(1, forever);
    forever();
    await expect(clock.runAll({ maxTimers: 50 })).rejects.toThrow(/re-arms itself forever/);
  });

  it('jumps wall time without moving monotonic time', async () => {
    const clock = new FakeClock({ startWall: 0 });
    await clock.advance(10);
    clock.jumpWall(-5_000);
    expect(clock.now()).toBe(-4_990);
    expect(clock.monotonic()).toBe(10);
  });

  it('refuses to go backwards', async () => {
    const clock = new FakeClock();
    await clock.advance(10);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    await expect(clock.advanceTo(5)).rejects.toThrow(/before now/);
  });
});
