import { describe, expect, it } from 'vitest';
import { abortable, isThenable } from './abortable.js';

describe('abortable', () => {
  it('settles as the promise does while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow(
      'no',
    );
  });

  it('rejects with the reason as soon as the signal aborts, and swallows the late rejection', async () => {
    const controller = new AbortController();
    let fail!: (e: Error) => void;
    const slow = new Promise<number>((_, reject) => (fail = reject));
    const waiting = abortable(slow, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(waiting).rejects.toThrow('timed out');
    fail(new Error('late'));
    await expect(abortable(Promise.resolve(1), controller.signal)).rejects.toThrow('timed out');
  });

  it('recognises thenables', () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    expect(isThenable({ then() {} })).toBe(true);
    expect(isThenable({})).toBe(false);
    expect(isThenable(null)).toBe(false);
  });
});
