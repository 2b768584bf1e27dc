import { describe, expect, it } from 'vitest';
import { embeddedExamples } from '../scripts/doc-examples.js';

describe('code in docs/ is the real, tested example files', () => {
  const examples = embeddedExamples(process.cwd());

  it('docs embed examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [`${e.doc} ← ${e.file}`, e] as const))(
    '%s is up to date (npm run docs:sync)',
    (_name, e) => {
      expect(e.embedded.trimEnd()).toBe(e.actual.trimEnd());
    },
  );
});
