// Recipe modules written by tests into a temporary directory outside any package (no node_modules, no
// package.json), as in a config directory such as /etc/vigil: `vigil/recipe` must resolve there all the same.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@vigil/resilience';
import type { Check } from '../src/checks/index.js';
import { recipe } from '../src/checks/recipe/index.js';
import { runCheck, type RunOptions } from './check-harness.js';

export interface RecipeDir {
  readonly dir: string;
  /** Writes `<name><ext>` default-exporting `defineRecipe(<body>)`; returns its `./` module path. */
  recipeFile(name: string, body: string, ext?: string): Promise<string>;
  /** Writes `file` with `source`; returns its `./` module path. */
  rawFile(file: string, source: string): Promise<string>;
  /** Validates the config, creates the recipe check (loading the module) and runs it once. */
  run(
    module: string,
    options?: Record<string, unknown>,
    more?: RunOptions,
  ): ReturnType<typeof runCheck>;
  /** Creates the recipe check only. */
  create(module: string, options?: Record<string, unknown>): Promise<Check>;
  remove(): Promise<void>;
}

export async function recipeDir(): Promise<RecipeDir> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-recipes-'));
  const rawFile = async (file: string, source: string): Promise<string> => {
    await writeFile(join(dir, file), source);
    return `./${file}`;
  };
  return {
    dir,
    rawFile,
    recipeFile: (name, body, ext = '.ts') =>
      rawFile(
        name + ext,
        `import { defineRecipe } from 'vigil/recipe';\nexport default defineRecipe(${body});\n`,
      ),
    run: (module, options = {}, more = {}) =>
      runCheck(recipe, { module, options }, { ...more, deps: { configDir: dir } }),
    create: async (module, options = {}) =>
      recipe.create(
        recipe.schema.parse({ module, options }),
        { clock: systemClock, configDir: dir, heartbeats: { last: () => undefined } },
        'm',
      ),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
