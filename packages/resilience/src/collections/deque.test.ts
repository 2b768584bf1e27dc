import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque.js';

describe('Deque', () => {
  it('is FIFO across growth and wrap-around', () => {
    const q = new Deque<number>(4);
    for (let i = 0; i < 3; i++) q.push(i);
    expect(q.shift()).toBe(0);
    for (let i = 3; i < 20; i++) q.push(i);
    expect(q.size).toBe(19);
    expect([...q]).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(q.peek()).toBe(1);
    expect(q.drain()).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(q.shift()).toBeUndefined();
  });

  it('unshift puts an item at the front', () => {
    const q = new Deque<string>(4);
    q.push('b');
    q.unshift('a');
    for (const x of ['c', 'd', 'e']) q.push(x);
    q.unshift('z');
    expect(q.drain()).toEqual(['z', 'a', 'b', 'c', 'd', 'e']);
  });

  it('behaves like an array for any sequence of operations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer(), fc.constant('shift' as const), fc.constant('front' as const)),
        ),
        (ops) => {
          const q = new Deque<number>(4);
          const model: number[] = [];
          for (const op of ops) {
            if (op === 'shift') expect(q.shift()).toBe(model.shift());
            else if (op === 'front') {
              q.unshift(-1);
              model.unshift(-1);
            } else {
              q.push(op);
              model.push(op);
            }
            expect(q.size).toBe(model.length);
          }
          expect([...q]).toEqual(model);
        },
      ),
    );
  });
});
