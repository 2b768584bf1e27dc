import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpStub, reply, type HttpStub } from '../../../test/http-stub.js';
import { recipeDir, type RecipeDir } from '../../../test/recipe-files.js';
import * as publicApi from '../../recipe.js';
import { defineRecipe, RecipeError } from './index.js';

let recipes: RecipeDir;
beforeAll(async () => {
  recipes = await recipeDir();
});
afterAll(() => recipes.remove());
const recipeFile: RecipeDir['recipeFile'] = (...args) => recipes.recipeFile(...args);
const rawFile: RecipeDir['rawFile'] = (...args) => recipes.rawFile(...args);
const run: RecipeDir['run'] = (...args) => recipes.run(...args);
const create: RecipeDir['create'] = (...args) => recipes.create(...args);

const stubs: HttpStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((c) => c.close()));
});
async function stub(): Promise<HttpStub> {
  const s = await httpStub(reply(200, ''));
  stubs.push(s);
  return s;
}

describe('loading a recipe', () => {
  describe('create() refuses, naming the file', () => {
    it('a missing module', async () => {
      await expect(create('./recipes/missing.ts')).rejects.toThrow(
        `recipe missing (./recipes/missing.ts) not found: no file at ${join(recipes.dir, 'recipes/missing.ts')} (module paths resolve against the config's directory, ${recipes.dir})`,
      );
    });

    it('a module with a syntax error', async () => {
      const m = await rawFile(
        'syntax.ts',
        `import { defineRecipe } from 'vigil/recipe';\nexport default defineRecipe({\n  request: { url: 'http://x/' ,\n});\n`,
      );
      const error = await create(m).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecipeError);
      expect((error as RecipeError).message).toMatch(
        new RegExp(
          `^recipe syntax \\(\\./syntax\\.ts\\) could not be loaded: .*${join(recipes.dir, 'syntax.ts')}:4:\\d+: ERROR: .+`,
        ),
      );
      expect(error).toMatchObject({ phase: 'load', retryable: false });
    });

    it('a module that throws while loading', async () => {
      const m = await rawFile('top-level.ts', `throw new Error('config missing');\n`);
      await expect(create(m)).rejects.toThrow(
        /^recipe top-level \(\.\/top-level\.ts\) could not be loaded( at top-level\.ts:\d+:\d+)?: config missing$/,
      );
    });

    it('a module importing a file that does not exist', async () => {
      const m = await rawFile('bad-import.ts', `import x from './nope.js';\nexport default x;\n`);
      await expect(create(m)).rejects.toThrow(
        /^recipe bad-import \(\.\/bad-import\.ts\) could not be loaded: Cannot find module/,
      );
    });

    it.each([
      ['no default export', `export const recipe = 1;`, 'it has no default export'],
      ['a number', `export default 42;`, 'its default export is a number'],
      ['null', `export default null;`, 'its default export is null'],
      [
        'no handleResponse',
        `export default { request: { url: 'http://x/' } };`,
        'its default export has no handleResponse function',
      ],
      [
        'no request',
        `export default { handleResponse: () => 'ok' };`,
        'its default export has no request (an object, or a function of the options)',
      ],
      [
        'a bad parseOptions',
        `export default { parseOptions: 1, request: { url: 'http://x/' }, handleResponse: () => 'ok' };`,
        'its parseOptions is not a function',
      ],
    ])('a default export that is not a recipe (%s)', async (what, source, problem) => {
      const m = await rawFile(`not-recipe-${what.replace(/\W/g, '')}.ts`, source);
      await expect(create(m)).rejects.toThrow(
        `is not a recipe: ${problem}; write export default defineRecipe({ request, handleResponse })`,
      );
    });

    it('a fixed request that is invalid', async () => {
      const m = await recipeFile(
        'bad-request',
        `{ request: { url: 'ftp://example.com/', maxRedirects: 50, extra: 1 } as never, handleResponse: () => 'ok' }`,
      );
      await expect(create(m)).rejects.toThrow(
        'recipe bad-request (./bad-request.ts) has an invalid request: url must be an absolute http(s) URL; maxRedirects Too big: expected number to be <=20; Unrecognized key: "extra"',
      );
    });

    it('options its parseOptions refuses', async () => {
      const m = await recipeFile(
        'picky',
        `{ parseOptions: (o) => { if (typeof o.url !== 'string') throw new Error('options.url is required'); return o; }, request: { url: 'http://x/' }, handleResponse: () => 'ok' }`,
      );
      await expect(create(m, {})).rejects.toThrow(
        /^recipe picky \(\.\/picky\.ts\) refused the monitor's options at picky\.ts:\d+:\d+: options\.url is required$/,
      );
    });
  });

  it('loads plain JavaScript modules, and TypeScript with top-level await and import.meta', async () => {
    const s = await stub();
    const js = await rawFile(
      'plain.mjs',
      `export default { request: { url: '${s.origin}/' }, handleResponse: () => 'degraded' };\n`,
    );
    expect((await run(js)).outcome).toBe('degraded');
    const ts = await rawFile(
      'modern.ts',
      `import { defineRecipe } from 'vigil/recipe';\nconst file: string = await Promise.resolve(import.meta.url);\nexport default defineRecipe({ request: { url: '${s.origin}/' }, handleResponse: () => ({ outcome: 'ok', message: file.split('/').pop()!.split('?')[0] }) });\n`,
    );
    expect(await run(ts)).toMatchObject({ outcome: 'ok', message: 'modern.ts' });
  });

  it('loads an edited recipe afresh when the monitor is created again (config reload)', async () => {
    const s = await stub();
    const m = await recipeFile(
      'edited',
      `{ request: { url: '${s.origin}/' }, handleResponse: () => 'fail' }`,
    );
    expect((await run(m)).outcome).toBe('fail');
    await recipeFile('edited', `{ request: { url: '${s.origin}/' }, handleResponse: () => 'ok' }`);
    expect((await run(m)).outcome).toBe('ok');
  });

  it('exports the contract as vigil/recipe', () => {
    expect(publicApi.defineRecipe).toBe(defineRecipe);
    const r = defineRecipe({ request: { url: 'http://x/' }, handleResponse: () => 'ok' });
    expect(Object.isFrozen(r)).toBe(true);
  });
});
