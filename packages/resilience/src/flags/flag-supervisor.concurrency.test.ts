// Evaluations are async and stops can be slow: whatever the interleaving, each child converges to what its
// flag says last, never runs twice at once, and a slow stop holds nothing else up.
import type { ResolutionDetails } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { createFlagSupervisor } from './flag-supervisor.js';
import { ScriptedProvider, clientFor, deferred, inMemory, probe } from '../../test/flag-kit.js';

/** A provider whose answers are fixed when asked but delivered when the test says. */
async function delayedProvider(initial: boolean) {
  const provider = new ScriptedProvider({ f: initial }, { withEvents: true });
  const held: { value: boolean; release: () => void }[] = [];
  const hold = (): void => {
    provider.resolve = (flag) => {
      const value = provider.values.get(flag) ?? true;
      const answer = deferred<ResolutionDetails<boolean>>();
      held.push({ value, release: () => answer.resolve({ value, reason: 'STATIC' }) });
      return answer.promise;
    };
  };
  return { provider, client: await clientFor(provider), held, hold };
}

describe('FlagSupervisor under concurrency', () => {
  it('keeps the answer of the latest-started evaluation when answers arrive out of order', async () => {
    const clock = new FakeClock();
    const { provider, client, held, hold } = await delayedProvider(true);
    const child = probe();
    const sup = createFlagSupervisor({
      client,
      clock,
      pollMs: Infinity,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    const stopped: string[] = [];
    sup.on('stopped', (e) => stopped.push(e.childId));
    await sup.start();
    hold();

    provider.values.set('f', false);
    provider.changed(['f']); // full round: asks, answer "off" held
    await clock.flush();
    provider.values.set('f', true);
    provider.changed(['f']); // a round is under way: "f" is asked at once, answer "on" held
    await clock.flush();
    expect(held.map((h) => h.value)).toEqual([false, true]);

    held[1]!.release(); // the newer answer first
    await clock.flush();
    held[0]!.release(); // the older one late: ignored
    await clock.flush();
    provider.resolve = undefined; // the queued full round answers at once
    await clock.flush();

    expect(stopped).toEqual([]);
    expect(child.runs).toBe(1);
    expect(sup.getChild('c')?.state).toBe('running');
    await sup.stop();
  });

  it('acts on a flag a change event names without waiting for the full round under way', async () => {
    const clock = new FakeClock();
    const values = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, true]));
    const provider = new ScriptedProvider(values, { withEvents: true });
    const starts: string[] = [];
    provider.resolve = async (flag) => {
      starts.push(`${clock.monotonic()} ${flag}`);
      const value = provider.values.get(flag) ?? true;
      await clock.sleep(10); // a remote provider: 10 ms an answer
      return { value, reason: 'STATIC' };
    };
    const children = Object.keys(values).map((flag) => ({ id: flag, flag, task: probe().task }));
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      concurrency: 1,
      pollMs: Infinity,
      children,
    });
    const starting = sup.start();
    await clock.advance(1000); // the first round: 100 answers, one at a time
    await starting;

    const full = sup.refresh(); // a full round: another 1,000 ms
    await clock.advance(55); // mid-way through f5's answer (1,050 → 1,060)
    starts.length = 0;
    provider.values.set('f99', false);
    provider.changed(['f99']);
    await clock.advance(10);
    expect(sup.getChild('f99')?.state).toBe('disabled'); // one answer later, not ~950 ms
    // The full round gave way: its next flag was asked only once f99 was answered.
    await clock.advance(1);
    expect(starts).toEqual(['1055 f99', '1065 f6']);
    await clock.advance(1000);
    await full;
    await sup.stop();
  });

  it('converges when answers arrive in order: stops, then starts again, one copy at a time', async () => {
    const clock = new FakeClock();
    const { provider, client, held, hold } = await delayedProvider(true);
    const child = probe();
    const sup = createFlagSupervisor({
      client,
      clock,
      pollMs: Infinity,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    hold();
    provider.values.set('f', false);
    provider.changed(['f']);
    await clock.flush();
    provider.values.set('f', true);
    provider.changed(['f']);
    await clock.flush();
    held[0]!.release();
    await clock.flush();
    held[1]!.release();
    await clock.flush();
    provider.resolve = undefined;
    await clock.flush();
    expect(child.runs).toBe(2);
    expect(child.maxLive).toBe(1);
    expect(sup.getChild('c')?.state).toBe('running');
    await sup.stop();
  });

  it('flag off, on, off, on in quick succession ends running, without duplicate starts', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe({ stopAfterMs: 100 });
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    for (const on of [false, true, false, true]) {
      flags.set({ f: on });
      await clock.flush();
    }
    await clock.advance(100);
    expect(sup.getChild('c')?.state).toBe('running');
    expect(child.live).toBe(1);
    expect(child.maxLive).toBe(1);
    expect(child.runs).toBe(2); // stopped once (slowly), started once more
    const stopping = sup.stop();
    await clock.advance(100);
    await stopping;
  });

  it('waits for a slow stop before starting the child again', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe({ stopAfterMs: 3000 });
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    flags.set({ f: false });
    await clock.flush();
    expect(sup.getChild('c')?.state).toBe('stopping');
    flags.set({ f: true });
    await clock.advance(2999); // polls come and go while it stops
    expect(child.runs).toBe(1);
    expect(sup.getChild('c')?.state).toBe('stopping');
    await clock.advance(1);
    expect(child.runs).toBe(2);
    expect(child.maxLive).toBe(1);
    expect(sup.getChild('c')?.state).toBe('running');
    const stopping = sup.stop();
    await clock.advance(3000);
    await stopping;
  });

  it('a child with a long shutdown does not delay reacting to other flags', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ a: true, b: false });
    const a = probe({ stopAfterMs: 60_000 });
    const b = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [
        { id: 'a', flag: 'a', task: a.task, shutdownMs: 120_000 },
        { id: 'b', flag: 'b', task: b.task },
      ],
    });
    await sup.start();
    flags.set({ a: false, b: true });
    await clock.flush();
    expect(b.live).toBe(1);
    expect(a.live).toBe(1);
    expect(sup.getChild('a')?.state).toBe('stopping');
    flags.set({ a: false, b: false });
    await clock.flush();
    expect(b.live).toBe(0);
    await clock.advance(60_000);
    expect(a.live).toBe(0);
    expect(sup.getChild('a')?.state).toBe('disabled');
    await sup.stop();
  });

  it('a child added under the id of one still stopping starts only once that one has stopped', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const old = probe({ stopAfterMs: 500 });
    const replacement = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'm', flag: 'f', task: old.task }],
    });
    await sup.start();
    const removed = sup.removeChild('m');
    const added = sup.addChild({ id: 'm', flag: 'f', task: replacement.task });
    await clock.flush();
    expect(sup.getChild('m')?.state).toBe('pending');
    expect(replacement.runs).toBe(0);
    await clock.advance(500);
    await expect(removed).resolves.toBe(true);
    await expect(added).resolves.toMatchObject({ id: 'm' });
    expect(old.live).toBe(0);
    expect(replacement.live).toBe(1);
    expect(sup.getChild('m')?.state).toBe('running');
    await sup.stop();
  });

  it('on shutdown stops every child at once, abandoning one past its shutdownMs', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const stubborn = probe({ stopAfterMs: Infinity });
    const fine = probe({ stopAfterMs: 50 });
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [
        { id: 'stubborn', flag: 'f', task: stubborn.task, shutdownMs: 100 },
        { id: 'fine', flag: 'f', task: fine.task },
      ],
    });
    const exits: string[] = [];
    sup.on('stopped', (e) => exits.push(`${e.childId}:${e.exit.reason}:${e.reason}`));
    await sup.start();
    const stopping = sup.stop();
    await clock.advance(50);
    expect(exits).toEqual(['fine:shutdown:shutdown']);
    await clock.advance(50);
    await expect(stopping).resolves.toMatchObject({ reason: 'shutdown' });
    expect(exits).toEqual(['fine:shutdown:shutdown', 'stubborn:killed:shutdown']);
    // Events after the stop are ignored; children added now start with the next run.
    flags.set({ f: false });
    await clock.flush();
    await expect(
      sup.addChild({ id: 'late', flag: 'f', task: probe().task }),
    ).resolves.toMatchObject({
      state: 'stopped',
    });
    expect(sup.countChildren().active).toBe(0);
  });

  it('removing a child while its flag stops it waits for that stop', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: true });
    const child = probe({ stopAfterMs: 200 });
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    flags.set({ f: false });
    await clock.flush();
    let removed = false;
    const removing = sup.removeChild('c').then(() => (removed = true));
    await clock.advance(199);
    expect(removed).toBe(false);
    await clock.advance(1);
    await removing;
    expect(child.live).toBe(0);
    await sup.stop();
  });
});
