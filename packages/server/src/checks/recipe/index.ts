import { z } from 'zod';
import { defineCheckKind } from '../check-kind.js';
import { loadRecipe, RECIPE_EXTENSIONS } from './load-recipe.js';
import { runRecipe } from './run-recipe.js';

export type {
  JsonValue,
  RawRecipeOptions,
  Recipe,
  RecipeMethod,
  RecipeOutcome,
  RecipeRequest,
  RecipeResponse,
  RecipeResult,
  RecipeVerdict,
} from './define-recipe.js';
export { defineRecipe } from './define-recipe.js';
export { RecipeError } from './recipe-error.js';
export type { RecipePhase, RecipeRef } from './recipe-error.js';

const schema = z
  .object({
    /** The recipe's file, relative to the config's directory: `./recipes/ci-status.ts`. */
    module: z
      .string()
      .min(1)
      .refine((m) => RECIPE_EXTENSIONS.some((ext) => m.endsWith(ext)), {
        message: `must be a ${RECIPE_EXTENSIONS.slice(0, -1).join(', ')} or ${RECIPE_EXTENSIONS.at(-1) ?? ''} file`,
      }),
    /** Passed to the recipe's `parseOptions`, `request` and `handleResponse`; may hold `${ENV}` secrets. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type RecipeCheckConfig = z.output<typeof schema>;

/**
 * `recipe`: a user's module (TypeScript or JavaScript, no build step) that describes an HTTP request and
 * maps any response to ok / fail / pending / degraded, with a message and an optional value.
 */
export const recipe = defineCheckKind({
  name: 'recipe',
  description: "a user's TypeScript recipe: an HTTP request and a function judging the response",
  schema,
  async create(config, deps) {
    const loaded = await loadRecipe(config.module, config.options, deps.configDir);
    return { run: (ctx) => runRecipe(loaded, ctx) };
  },
});
