import { describe, expect, it } from 'vitest';
import { flagAction, flagActions } from './state-table.js';

describe('flagAction: the state table, every combination of flag × crashed × running', () => {
  const table = [
    // flag on, crashed, running → action
    [true, false, false, 'start'],
    [true, false, true, 'none'],
    [true, true, false, 'none'], // crashed: stays down until the flag is cycled
    [true, true, true, 'adopt'], // a race: keep it, forget the crash
    [false, false, false, 'none'],
    [false, false, true, 'stop'],
    [false, true, false, 'forget-crash'],
    [false, true, true, 'stop'],
  ] as const;

  it.each(table)('flag on %s, crashed %s, running %s → %s', (on, crashed, running, action) => {
    expect(flagAction(on, crashed, running)).toBe(action);
  });

  it('covers all 8 combinations and uses every action', () => {
    expect(new Set(table.map(([on, crashed, running]) => `${on}${crashed}${running}`)).size).toBe(
      8,
    );
    expect(new Set(table.map((row) => row[3]))).toEqual(new Set(flagActions));
  });
});
