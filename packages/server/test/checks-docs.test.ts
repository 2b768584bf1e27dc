// The examples in docs/checks.md are real: every YAML block of a kind's section loads with the real
// schema, and every option of the kind is documented. Add a kind's name to `kinds` to cover its section.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKinds, type CheckKindName } from '../src/checks/index.js';
import { ConfigError, formatIssue, loadConfig } from '../src/config/index.js';

const kinds: readonly CheckKindName[] = ['http', 'tls'];
const doc = readFileSync(join(process.cwd(), 'docs/checks.md'), 'utf8');

/** The text of `## <kind>` up to the next `## ` heading. */
function section(kind: string): string {
  const start = doc.indexOf(`\n## ${kind}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

function load(yaml: string) {
  try {
    return loadConfig(yaml, {
      file: 'docs/checks.md',
      dir: '/etc/vigil',
      env: { HOOKS_TOKEN: 'token' },
      kinds: checkKinds,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.issues.map(formatIssue).join('\n'));
    throw error;
  }
}

describe.each(kinds)('docs/checks.md, section %s', (kind) => {
  const text = section(kind);
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

  it('has examples, and each loads as a config of this kind', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const yaml of blocks) {
      const config = load(yaml);
      expect(config.monitors.length).toBeGreaterThan(0);
      for (const monitor of config.monitors) expect(monitor.kind).toBe(kind);
    }
  });

  it('documents every option', () => {
    const schema = checkKinds[kind].schema as unknown as { shape: Record<string, unknown> };
    for (const option of Object.keys(schema.shape))
      expect(text, `option ${option}`).toMatch(new RegExp(`\\| \`${option}[.\`]`));
  });
});
