import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { spawn } from './spawn.js';
import { SHUTDOWN, toTask, type TaskContext } from './task.js';

const opts = (clock = new FakeClock()) => ({ id: 't', clock, shutdownMs: 1000 });

describe('spawn: how a task exits', () => {
  it.each([
    ['resolves → normal', () => Promise.resolve('done'), { reason: 'normal' }],
    ['returns SHUTDOWN → shutdown', () => Promise.resolve(SHUTDOWN), { reason: 'shutdown' }],
    [
      'rejects → crashed',
      () => Promise.reject(new Error('bad')),
      { reason: 'crashed', error: new Error('bad') },
    ],
    [
      'throws synchronously → crashed',
      () => {
        throw new Error('sync');
      },
      { reason: 'crashed', error: new Error('sync') },
    ],
  ])('%s', async (_name, run, exit) => {
    const handle = spawn(toTask(run), opts());
    await expect(handle.done).resolves.toEqual(exit);
    await expect(handle.started).resolves.toBeUndefined(); // ready at once: it does not wait for ready
  });

  it('a stop is a shutdown whether the task returns or rejects with its abort reason', async () => {
    for (const run of [
      (ctx: TaskContext) => new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)),
      (ctx: TaskContext) => ctx.clock.sleep(10_000, ctx.signal),
    ]) {
      const handle = spawn(toTask(run), opts());
      await expect(handle.stop()).resolves.toEqual({ reason: 'shutdown' });
    }
  });

  it('abandons a task that ignores its signal, exactly at its shutdown timeout', async () => {
    const clock = new FakeClock();
    const handle = spawn(
      toTask(() => new Promise(() => {})),
      opts(clock),
    );
    const stopping = handle.stop();
    await clock.advance(999);
    expect(handle.exit).toBeUndefined();
    await clock.advance(1);
    const exit = await stopping;
    expect(exit.reason).toBe('killed');
    expect(hasErrorCode(exit.error, 'SHUTDOWN_TIMEOUT')).toBe(true);
  });

  it('waits for ready when the task asks to, and reports an exit before ready', async () => {
    let ready: (() => void) | undefined;
    const handle = spawn(
      { waitsForReady: true, run: (ctx) => new Promise(() => (ready = ctx.ready)) },
      opts(),
    );
    let isStarted = false;
    void handle.started.then(() => (isStarted = true));
    await Promise.resolve();
    expect(isStarted).toBe(false);
    expect(handle.isReady).toBe(false);
    ready!();
    await expect(handle.started).resolves.toBeUndefined();
    expect(handle.isReady).toBe(true);
  });
});
