import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  up: { id: string };
  down: number;
}

describe('Emitter', () => {
  it('delivers events in subscription order, and unsubscribes', () => {
    const e = new Emitter<Events>();
    const got: string[] = [];
    const off = e.on('up', (ev) => got.push(`1:${ev.id}`));
    e.on('up', (ev) => got.push(`2:${ev.id}`));
    e.emit('up', { id: 'a' });
    off();
    e.emit('up', { id: 'b' });
    expect(got).toEqual(['1:a', '2:a', '2:b']);
    expect(e.has('up')).toBe(true);
    expect(e.has('down')).toBe(false);
  });

  it('once fires a single time', () => {
    const e = new Emitter<Events>();
    const got: number[] = [];
    e.once('down', (n) => got.push(n));
    e.emit('down', 1);
    e.emit('down', 2);
    expect(got).toEqual([1]);
  });

  it('a listener that throws is reported and does not stop the others', () => {
    const reported: string[] = [];
    const e = new Emitter<Events>((error, name) =>
      reported.push(`${name}: ${(error as Error).message}`),
    );
    const got: number[] = [];
    e.on('down', () => {
      throw new Error('bad listener');
    });
    e.on('down', (n) => got.push(n));
    e.emit('down', 7);
    expect(got).toEqual([7]);
    expect(reported).toEqual(['down: bad listener']);
  });
});
