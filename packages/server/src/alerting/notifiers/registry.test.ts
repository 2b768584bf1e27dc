import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notifierTypes } from './registry.js';

describe('notifierTypes', () => {
  it('registers each notifier under its own type', () => {
    for (const [type, notifier] of Object.entries(notifierTypes)) expect(notifier.type).toBe(type);
  });

  it('has a folder with a test (running the contract suite) for every type, and no stray folder', () => {
    const dir = new URL('.', import.meta.url);
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(notifierTypes).sort());
    for (const type of folders)
      expect(readdirSync(new URL(`${type}/`, dir))).toContain(`${type}.test.ts`);
  });
});
