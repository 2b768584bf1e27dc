// The YAML examples of one section of docs/checks.md, so a kind's tests can validate its documented
// examples with the real config loader.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checksDoc = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/checks.md');

/** The ```yaml blocks under `## <section>` (up to the next `## `) in docs/checks.md. */
export function yamlExamples(section: string): string[] {
  const text = readFileSync(checksDoc, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  if (start === -1) throw new Error(`docs/checks.md has no "## ${section}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end === -1 ? undefined : end);
  return [...body.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}
