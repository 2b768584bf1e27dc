// Docs embed example files verbatim after a marker line `<!-- example: path/to/file.ts -->`, so every code
// sample in docs/ is a real file that is type-checked and run by the test suite.
// `npm run docs:sync` rewrites the embedded blocks from the files; the test suite fails when they differ.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = /<!-- example: (\S+) -->\n```(\w+)\n([\s\S]*?)```/g;

export interface Embedded {
  readonly doc: string;
  readonly file: string;
  readonly embedded: string;
  readonly actual: string;
}

/** Every embedded example in the markdown files under `docsDir`, with the file's current text. */
export function embeddedExamples(root: string, docsDir = 'docs'): Embedded[] {
  const out: Embedded[] = [];
  for (const name of readdirSync(join(root, docsDir)).filter((n) => n.endsWith('.md'))) {
    const doc = join(docsDir, name);
    const text = readFileSync(join(root, doc), 'utf8');
    for (const m of text.matchAll(MARKER)) {
      const [, file = '', , embedded = ''] = m;
      out.push({ doc, file, embedded, actual: readFileSync(join(root, file), 'utf8') });
    }
  }
  return out;
}

/** Rewrites every embedded block from its file. */
export function syncDocs(root: string, docsDir = 'docs'): number {
  let changed = 0;
  for (const name of readdirSync(join(root, docsDir)).filter((n) => n.endsWith('.md'))) {
    const path = join(root, docsDir, name);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(MARKER, (_all, file: string, lang: string) => {
      const body = readFileSync(join(root, file), 'utf8');
      return `<!-- example: ${file} -->\n\`\`\`${lang}\n${body.endsWith('\n') ? body : `${body}\n`}\`\`\``;
    });
    if (next !== text) {
      writeFileSync(path, next);
      changed++;
    }
  }
  return changed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = syncDocs(process.cwd());
  process.stdout.write(`docs:sync: ${changed} file(s) updated\n`);
}
