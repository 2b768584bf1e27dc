import { register } from 'node:module';
import { recipeApiUrl } from './define-recipe.js';

/** The specifier recipes import the recipe contract from. */
export const RECIPE_API_SPECIFIER = 'vigil/recipe';

/** Query marking the parent URL the loader imports recipes from, so the hooks know a recipe. */
const RECIPE_MARK = 'vigil-recipe-loader';

// Module resolve hooks (they run on Node's loader thread). They make `vigil/recipe` resolve to the running
// server's contract module, and load a recipe and the local files it imports as ES modules: a `.ts` file
// outside a `"type": "module"` package would otherwise be compiled to CommonJS, where `vigil/recipe`,
// `import.meta` and top-level `await` do not work. Packages under node_modules keep their own format.
const HOOKS = `
const esm = new Set();
let specifier, url, mark;
export function initialize(data) { ({ specifier, url, mark } = data); }
const strip = (u) => u.split('?')[0];
const forcible = (u) => u.startsWith('file:') && !u.includes('/node_modules/') && /\\.(m?ts|m?js)$/.test(strip(u));
export async function resolve(spec, context, next) {
  if (spec === specifier) return { url, shortCircuit: true };
  const resolved = await next(spec, context);
  const parent = context.parentURL;
  const fromRecipe = parent !== undefined && (parent.endsWith(mark) || esm.has(strip(parent)));
  if (!fromRecipe || !forcible(resolved.url)) return resolved;
  esm.add(strip(resolved.url));
  return { ...resolved, format: 'module' };
}`;

// Module hooks are process-wide and cannot be removed, so they are registered once per process.
let registered = false;

/**
 * Installs the module hooks recipes need (once per process) and returns the parent URL to import recipes
 * from. From then on `import … from 'vigil/recipe'` resolves, in any recipe, to the contract of the running
 * server: recipes need no `node_modules` of their own.
 */
export function recipeHooks(): string {
  if (!registered) {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
      data: { specifier: RECIPE_API_SPECIFIER, url: recipeApiUrl, mark: RECIPE_MARK },
    });
    registered = true;
  }
  return `${import.meta.url}?${RECIPE_MARK}`;
}
