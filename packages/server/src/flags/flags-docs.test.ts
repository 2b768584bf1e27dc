// The server's YAML examples in docs/flags.md are real: the config loads, the flag file is valid.
import { readFileSync } from 'node:fs';
import { readFlagFile } from '@vigil/resilience';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkKinds } from '../checks/index.js';
import { loadConfig } from '../config/index.js';
import { flagTargets } from './targets.js';

const doc = readFileSync(new URL('../../../../docs/flags.md', import.meta.url), 'utf8');

/** The ```yaml blocks right after a `<!-- name -->` marker. */
function blocks(name: string): string[] {
  const marker = `<!-- ${name} -->\n\`\`\`yaml\n`;
  return doc
    .split(marker)
    .slice(1)
    .map((rest) => rest.slice(0, rest.indexOf('```')));
}

describe('docs/flags.md, the server part', () => {
  it('its vigil.yaml example loads, with the flag keys it describes', () => {
    const [yaml] = blocks('vigil.yaml');
    const config = loadConfig(yaml ?? '', {
      file: 'docs/flags.md',
      dir: '/etc/vigil',
      env: {},
      kinds: checkKinds,
    });
    expect(config.flags).toEqual({
      provider: 'file',
      path: './flags.yaml',
      fallback: true,
      pollIntervalMs: 1000,
      evaluationTimeoutMs: 5000,
    });
    expect(flagTargets(config)).toEqual([
      { kind: 'group', id: 'payments', flag: 'group.payments' },
      { kind: 'monitor', id: 'payments-api', flag: 'monitor.payments-api' },
    ]);
  });

  it('its flags.yaml example is a valid flag file', () => {
    const [yaml] = blocks('flags.yaml');
    const flags = readFlagFile(parse(yaml ?? '') as unknown);
    expect([...flags.keys()].sort()).toEqual([
      'group.payments',
      'monitor.payments-api',
      'notifier.slack',
    ]);
  });
});
