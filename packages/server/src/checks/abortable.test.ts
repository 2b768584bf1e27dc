import { describe, expect, it } from 'vitest';
import { abortable } from './abortable.js';

describe('abortable', () => {
  it('settles as the promise does while the signal is quiet', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow(
      'no',
    );
  });

  it('rejects with the reason as soon as the signal aborts, leaving the promise to run', async () => {
    const controller = new AbortController();
    let finish: (value: number) => void = () => {};
    const slow = new Promise<number>((resolve) => (finish = resolve));
    const raced = abortable(slow, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(raced).rejects.toThrow('timed out');
    finish(1);
    await expect(slow).resolves.toBe(1);
  });

  it('rejects at once on a signal that has already aborted, without an unhandled rejection', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(abortable(Promise.reject(new Error('late')), controller.signal)).rejects.toThrow(
      'stopped',
    );
  });
});
