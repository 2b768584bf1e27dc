import { describe, expect, it } from 'vitest';
import { main as fileProvider } from './file-provider.js';
import { main as stateTable } from './state-table.js';
import { main as supervisor } from './supervisor.js';

describe('docs/flags.md examples run as documented', () => {
  it('supervisor', async () => {
    expect(await supervisor()).toEqual([
      'started orders',
      'started digest',
      'started orders',
      'crashed orders',
      'orders is crashed after 2 runs',
      'started orders',
      'orders is running after 3 runs',
      'stopped orders (shutdown)',
      'stopped digest (shutdown)',
    ]);
  });

  it('file provider', async () => {
    expect(await fileProvider()).toEqual([
      'payments-api: running',
      'payments-api: disabled',
      'flag file error: FLAG_FILE_INVALID',
      'payments-api: disabled',
    ]);
  });

  it('state table', () => {
    expect(stateTable()).toEqual([
      'on  -       -       → start',
      'on  -       running → none',
      'on  crashed -       → none',
      'on  crashed running → adopt',
      'off -       -       → none',
      'off -       running → stop',
      'off crashed -       → forget-crash',
      'off crashed running → stop',
    ]);
  });
});
