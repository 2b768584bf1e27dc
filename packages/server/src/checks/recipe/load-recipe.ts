import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { RawRecipeOptions, Recipe } from './define-recipe.js';
import { recipeHooks } from './recipe-hooks.js';
import { RecipeError, type RecipeRef } from './recipe-error.js';
import { prepareRequest, type PreparedRequest } from './recipe-request.js';

/** Extensions a recipe module may have: an ES module, TypeScript compiled on load without a build step. */
export const RECIPE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** A recipe loaded and ready to run for one monitor. */
export interface LoadedRecipe {
  readonly ref: RecipeRef;
  readonly recipe: Recipe<unknown>;
  /** The monitor's options, as the recipe's `parseOptions` shaped them. */
  readonly options: unknown;
  /** The request, prepared once when the recipe gives a fixed one rather than a function. */
  readonly request: PreparedRequest | undefined;
}

/**
 * Loads the recipe `module` (relative to `configDir`) for a monitor: imports it (TypeScript compiled on the
 * fly, with `vigil/recipe` provided), checks its default export is a recipe, applies its `parseOptions` and
 * checks a fixed request. Each call imports the file afresh, so a reloaded config runs edited recipes.
 * Throws a {@link RecipeError} naming the file for anything wrong.
 */
export async function loadRecipe(
  module: string,
  rawOptions: RawRecipeOptions,
  configDir: string,
): Promise<LoadedRecipe> {
  const file = resolve(configDir, module);
  const ref: RecipeRef = { name: basename(file, extname(file)), module, file };
  await mustExist(ref, configDir);
  const parentUrl = recipeHooks();
  let exported: unknown;
  try {
    exported = ((await tsImport(pathToFileURL(file).href, parentUrl)) as { default?: unknown })
      .default;
  } catch (error) {
    throw new RecipeError(ref, 'load', 'could not be loaded', {
      cause: error,
      reason: oneLine(error),
    });
  }
  const recipe = asRecipe(exported, ref);
  const options = parseOptions(recipe, rawOptions, ref);
  if (typeof recipe.request === 'function') return { ref, recipe, options, request: undefined };
  const prepared = prepareRequest(recipe.request);
  if (!prepared.ok)
    throw new RecipeError(ref, 'load', `has an invalid request: ${prepared.problem}`);
  return { ref, recipe, options, request: prepared.request };
}

async function mustExist(ref: RecipeRef, configDir: string): Promise<void> {
  const found = await stat(ref.file).catch(() => undefined);
  if (found?.isFile() === true) return;
  throw new RecipeError(
    ref,
    'load',
    `not found: no file at ${ref.file} (module paths resolve against the config's directory, ${configDir})`,
  );
}

/** The recipe a module default-exports. */
function asRecipe(exported: unknown, ref: RecipeRef): Recipe<unknown> {
  const problem = recipeProblem(exported);
  if (problem === undefined) return exported as Recipe<unknown>;
  throw new RecipeError(
    ref,
    'load',
    `is not a recipe: ${problem}; write export default defineRecipe({ request, handleResponse })`,
  );
}

function recipeProblem(value: unknown): string | undefined {
  if (value === undefined) return 'it has no default export';
  if (!isObject(value))
    return `its default export is ${value === null ? 'null' : `a ${typeof value}`}`;
  if (typeof value['handleResponse'] !== 'function')
    return 'its default export has no handleResponse function';
  const request = value['request'];
  if (typeof request !== 'function' && !isObject(request))
    return 'its default export has no request (an object, or a function of the options)';
  if (value['parseOptions'] !== undefined && typeof value['parseOptions'] !== 'function')
    return 'its parseOptions is not a function';
  return undefined;
}

function parseOptions(recipe: Recipe<unknown>, raw: RawRecipeOptions, ref: RecipeRef): unknown {
  if (recipe.parseOptions === undefined) return raw;
  try {
    return recipe.parseOptions(raw);
  } catch (error) {
    throw new RecipeError(ref, 'parseOptions', "refused the monitor's options", {
      cause: error,
      reason: oneLine(error),
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An error's message on one line, at most 500 characters. */
export function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
