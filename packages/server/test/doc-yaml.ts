// The YAML examples of a section of docs/checks.md, so kind tests can check the documented configs are valid.
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../src/config/index.js';
import { checkKinds } from '../src/checks/index.js';

const CHECKS_DOC = new URL('../../../docs/checks.md', import.meta.url);

/** The ```yaml blocks of docs/checks.md under the heading `## <section>`. */
export function docYamlBlocks(section: string): string[] {
  const text = readFileSync(CHECKS_DOC, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`docs/checks.md has no "## ${section}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** Loads each YAML example of `section` as a config (throwing its errors); `env` fills `${VAR}`s. */
export function loadDocExamples(section: string, env: Record<string, string> = {}): Config[] {
  return docYamlBlocks(section).map((text) =>
    loadConfig(text, { file: `docs/checks.md (## ${section})`, dir: '.', env, kinds: checkKinds }),
  );
}
