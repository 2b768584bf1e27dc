// The YAML examples of one `## <kind>` section of docs/checks.md, for tests that load them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const checksDoc = fileURLToPath(new URL('../../../docs/checks.md', import.meta.url));

/** The ```yaml blocks of the section `## <heading>` (up to the next `## `). */
export function yamlExamples(heading: string): string[] {
  const text = readFileSync(checksDoc, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/checks.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** A value for every `${VAR}` an example uses, so it loads as it would with its environment set. */
export function exampleEnv(yaml: string): Record<string, string> {
  return Object.fromEntries([...yaml.matchAll(/\$\{(\w+)\}/g)].map((m) => [m[1] ?? '', 'x']));
}
