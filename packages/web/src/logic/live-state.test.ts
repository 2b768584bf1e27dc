import { describe, expect, it } from 'vitest';
import type { MonitorSummary, Status } from '../types';
import { LiveState } from './live-state';
import { pushBounded, reconnectDelay } from './reconnect';

const m = (id: string, status: Status, reason = ''): MonitorSummary => ({
  id,
  name: id,
  group: 'g',
  tags: [],
  kind: 'tcp',
  status,
  reason,
  since: '2026-01-01T00:00:00.000Z',
  lifecycle: 'running',
});

describe('LiveState', () => {
  it('takes a snapshot, applies deltas, records status changes and forgets removed monitors', () => {
    const state = new LiveState();
    expect(
      state.apply({ type: 'snapshot', seq: 4, monitors: [m('a', 'up'), m('b', 'up')] }, 1),
    ).toEqual({
      monitors: true,
      results: [],
    });
    expect(state.changes).toEqual([]);
    const result = { id: 'a', outcome: 'fail', latencyMs: 1, at: 'x', message: 'refused' };
    const applied = state.apply(
      { type: 'delta', seq: 5, monitors: [m('a', 'down', 'refused')], results: [result] },
      2,
    );
    expect(applied).toEqual({ monitors: true, results: [result] });
    expect(state.monitors.get('a')?.status).toBe('down');
    expect(state.changes).toEqual([
      { id: 'a', name: 'a', from: 'up', to: 'down', reason: 'refused', at: 2 },
    ]);
    expect(state.apply({ type: 'tick', seq: 5 }, 3)).toEqual({ monitors: false, results: [] });
    expect(state.seq).toBe(5);

    // A later snapshot (after falling behind) replaces the picture and notes what changed meanwhile.
    state.apply({ type: 'snapshot', seq: 9, monitors: [m('a', 'up')] }, 4);
    expect([...state.monitors.keys()]).toEqual(['a']);
    expect(state.changes.map((c) => `${c.from}->${c.to}@${c.at}`)).toEqual([
      'down->up@4',
      'up->down@2',
    ]);
  });

  it('keeps at most maxChanges changes, newest first, however long it runs', () => {
    const state = new LiveState(3);
    state.apply({ type: 'snapshot', seq: 0, monitors: [m('a', 'up')] }, 0);
    for (let i = 1; i <= 100; i++) {
      state.apply(
        { type: 'delta', seq: i, monitors: [m('a', i % 2 === 0 ? 'up' : 'down')], results: [] },
        i,
      );
    }
    expect(state.changes.map((c) => c.at)).toEqual([100, 99, 98]);
  });

  it('bounds lists newest first', () => {
    expect(pushBounded([3, 2, 1], [4, 5], 4)).toEqual([5, 4, 3, 2]);
  });
});

describe('reconnectDelay', () => {
  it.each([
    [0, 0, 250],
    [0, 0.999, 499.75],
    [3, 0, 2000],
    [10, 0, 15_000],
    [10, 1, 30_000],
    [1000, 0.5, 22_500],
  ])('attempt %d, random %d → %d ms', (attempt, random, ms) => {
    expect(reconnectDelay(attempt, random)).toBeCloseTo(ms, 6);
  });
});
