// openFlags with the embedded file provider and a real file: a missing file falls back, then is picked up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKinds } from '../checks/index.js';
import { loadConfig, type Config } from '../config/index.js';
import { flagsSectionChanged, openFlags } from './open-flags.js';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const config = (dir: string, flags: string): Config =>
  loadConfig(
    `flags: ${flags}\nmonitors:\n  - { id: db, flag: monitor.db, tcp: { host: 127.0.0.1, port: 1 } }\n`,
    { file: 'vigil.yaml', dir, env: {}, kinds: checkKinds },
  );

describe('openFlags', () => {
  it('without a flags: section there is nothing to open', async () => {
    const plain = loadConfig('monitors: []\n', {
      file: 'vigil.yaml',
      dir: '.',
      env: {},
      kinds: checkKinds,
    });
    expect(await openFlags(plain, { domain: 'unused', onError: () => {} })).toBeUndefined();
  });

  it('a missing flag file is reported and flags take the fallback until the file appears (JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-open-flags-'));
    const errors: string[] = [];
    const opened = await openFlags(config(dir, '{ path: flags.json, fallback: false }'), {
      domain: `vigil-open-flags-test-${process.pid}`,
      onError: (message) => errors.push(message),
    });
    try {
      expect(errors).toEqual([
        expect.stringMatching(/^flags: flag file .*flags\.json: cannot be read \(ENOENT\)/),
      ]);
      const gates = opened!.gates;
      expect(gates.list()).toMatchObject([
        { flag: 'monitor.db', on: false, evaluation: { fallback: true } },
      ]);
      writeFileSync(join(dir, 'flags.json'), JSON.stringify({ flags: { 'monitor.db': true } }));
      await until(() => gates.list()[0]?.on === true);
      expect(gates.list()[0]?.evaluation).toMatchObject({ fallback: false, reason: 'STATIC' });
    } finally {
      await opened?.close();
    }
  });

  it('tells whether a reload changed the flags: section itself', () => {
    const a = config('/etc/vigil', '{ path: flags.yaml }');
    expect(
      flagsSectionChanged(a, config('/etc/vigil', '{ path: flags.yaml, pollInterval: 1s }')),
    ).toBe(false);
    expect(flagsSectionChanged(a, config('/etc/vigil', '{ path: other.yaml }'))).toBe(true);
  });
});
