// The recipe contract, as recipe authors import it: `import { defineRecipe } from 'vigil/recipe'`.
// This module has no runtime imports: the recipe loader serves it to recipes wherever they live (see
// recipe-hooks.ts), so a recipe needs no build step and no `npm install` beside it.

/** What a recipe concludes: healthy, broken, in progress (a CI build running) or impaired. */
export type RecipeOutcome = 'ok' | 'fail' | 'pending' | 'degraded';

/** HTTP methods a recipe's request may use. */
export type RecipeMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A JSON value, for request bodies sent as JSON. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The HTTP request a recipe makes; Vigil sends it and hands the response to `handleResponse`. */
export interface RecipeRequest {
  /** An absolute http(s) URL. Its query string and credentials are never shown in messages. */
  readonly url: string;
  /** Default `GET`. */
  readonly method?: RecipeMethod;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON (with `content-type: application/json`). */
  readonly body?: string | JsonValue;
  /**
   * Statuses besides 2xx handed to `handleResponse`; `'any'` for all. Any other status fails the check
   * (`HTTP 503 from https://…`) without calling `handleResponse`.
   */
  readonly acceptStatus?: 'any' | readonly number[];
  /** Redirects followed, 0–20 (default 5). */
  readonly maxRedirects?: number;
  /** Largest response body read, in bytes, up to 10 MiB (default 1 MiB); a larger body fails the check. */
  readonly maxBytes?: number;
}

/** The response a recipe judges. */
export interface RecipeResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (UTF-8). */
  readonly body: string;
  /**
   * The body parsed as JSON (parsed once, on the first call). Invalid JSON throws an error that, if the
   * recipe lets it through, fails the check (`response from … is not valid JSON`) rather than crashing it.
   * The result is `unknown`: a remote service may send anything, so narrow it before use.
   */
  json(): unknown;
}

/** A recipe's verdict with a message for the board and an optional number (a queue length, a build time). */
export interface RecipeVerdict {
  readonly outcome: RecipeOutcome;
  readonly message?: string;
  readonly value?: number;
}

/** What `handleResponse` may return. */
export type RecipeResult = RecipeOutcome | RecipeVerdict;

/** The monitor's `recipe.options` as written in the config. */
export type RawRecipeOptions = Readonly<Record<string, unknown>>;

/**
 * A recipe: how to ask a service for its state and how to read the answer. `O` is the type of its options
 * (from the monitor's `recipe.options`).
 */
export interface Recipe<O = RawRecipeOptions> {
  /**
   * Validates and shapes the monitor's options once, when the monitor is loaded; throw to refuse them
   * (the message is shown as a config error). Without it, options are passed as written.
   */
  readonly parseOptions?: (options: RawRecipeOptions) => O;
  /** The request to make, or a function of the options returning it. */
  readonly request: RecipeRequest | ((options: O) => RecipeRequest | Promise<RecipeRequest>);
  /**
   * Maps the response to an outcome. Throwing is a crash of the monitor (its task is restarted), not a
   * failed check: return `'fail'` for a service that is down.
   */
  readonly handleResponse: (
    response: RecipeResponse,
    options: O,
  ) => RecipeResult | Promise<RecipeResult>;
}

/**
 * Declares a recipe, with type checking of its parts: `export default defineRecipe({ request,
 * handleResponse })`. Returns it frozen.
 */
export function defineRecipe<O = RawRecipeOptions>(recipe: Recipe<O>): Recipe<O> {
  return Object.freeze({ ...recipe });
}

/** @internal The URL of this module, which the loader serves to recipes importing `vigil/recipe`. */
export const recipeApiUrl: string = import.meta.url;
