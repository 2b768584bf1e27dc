import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilError } from '@vigil/resilience';

/** Where a recipe went wrong: loading it, its `parseOptions`, its `request` or its `handleResponse`. */
export type RecipePhase = 'load' | 'parseOptions' | 'request' | 'handleResponse';

/** Names a recipe in messages. */
export interface RecipeRef {
  /** The file's base name without extension, e.g. `ci-status`. */
  readonly name: string;
  /** The module as configured, e.g. `./recipes/ci-status.ts`. */
  readonly module: string;
  /** Its absolute path. */
  readonly file: string;
}

/**
 * A recipe could not be loaded, or its code threw or returned something that is not a verdict. At load this
 * is a config error; while running it is a crash of the monitor's task (the supervisor restarts it).
 * The message names the recipe, the phase and, when the stack shows it, the line in the recipe's file.
 */
export class RecipeError extends VigilError {
  readonly code = 'RECIPE_ERROR' as const;
  readonly retryable: boolean;
  /** `file:line:column` in the recipe where it threw, when known. */
  readonly location: string | undefined;

  /**
   * `detail` says what happened (`threw in handleResponse`); `reason`, if any, follows the location
   * (`TypeError: x is undefined`).
   */
  constructor(
    readonly recipe: RecipeRef,
    readonly phase: RecipePhase,
    detail: string,
    options: { readonly cause?: unknown; readonly reason?: string } = {},
  ) {
    const location = locate(options.cause, recipe.file);
    const where = location === undefined ? '' : ` at ${basename(recipe.file)}:${location}`;
    const reason = options.reason === undefined ? '' : `: ${options.reason}`;
    super(`recipe ${recipe.name} (${recipe.module}) ${detail}${where}${reason}`, options);
    this.location = location === undefined ? undefined : `${recipe.file}:${location}`;
    // A recipe that cannot be loaded will not load by retrying; one that threw on some input may not next time.
    this.retryable = phase === 'request' || phase === 'handleResponse';
  }
}

/** `line:column` of the first stack frame of `error` inside `file`, if any. */
function locate(error: unknown, file: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const frame = /\(?((?:file:\/\/)?\/[^():?]+)(?:\?[^:]*)?:(\d+):(\d+)\)?$/.exec(line.trim());
    if (frame === null) continue;
    const [, path = '', row = '', column = ''] = frame;
    if ((path.startsWith('file://') ? fileURLToPath(path) : path) === file)
      return `${row}:${column}`;
  }
  return undefined;
}
