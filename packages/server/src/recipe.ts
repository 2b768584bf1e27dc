/**
 * The recipe contract, for authors of `recipe` monitors: `import { defineRecipe } from 'vigil/recipe'`.
 * When Vigil loads a recipe it provides this module itself, so recipes need no dependencies installed.
 * @packageDocumentation
 */
export { defineRecipe } from './checks/recipe/define-recipe.js';
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
} from './checks/recipe/define-recipe.js';
