import { formatDuration } from '../../config/index.js';
import type { CheckContext, CheckResult } from '../check-kind.js';
import { elapsed, failed } from '../result.js';
import type { RecipeRequest, RecipeResponse, RecipeVerdict } from './define-recipe.js';
import { oneLine, type LoadedRecipe } from './load-recipe.js';
import { RecipeError, type RecipePhase } from './recipe-error.js';
import { fetchForRecipe, isInvalidJsonError } from './recipe-fetch.js';
import { prepareRequest, type PreparedRequest } from './recipe-request.js';
import { preview, toVerdict } from './recipe-verdict.js';

/** Thrown by {@link untilAborted} when the check's signal aborts first. */
const ABORTED = Symbol('aborted');

/**
 * Runs a recipe once: makes its request (a failed request fails the check without the recipe), hands the
 * response to `handleResponse` and turns its verdict into a result. Recipe code that throws or returns
 * something other than a verdict rejects with a {@link RecipeError}: a crash, for the supervisor.
 */
export async function runRecipe(loaded: LoadedRecipe, ctx: CheckContext): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const name = loaded.ref.name;
  const fail = (message: string, status?: number): CheckResult =>
    failed(message, elapsed(ctx, start), {
      details: { recipe: name, ...(status === undefined ? {} : { status }) },
    });
  const timedOut = (phase: RecipePhase): CheckResult =>
    fail(`timed out after ${formatDuration(ctx.timeoutMs)} (recipe ${name} in ${phase})`);
  const request = loaded.request ?? (await requestOf(loaded, ctx));
  if (request === ABORTED) return timedOut('request');
  const fetched = await fetchForRecipe(request, ctx, start);
  if (!fetched.ok) return fail(fetched.message, fetched.status);
  const verdict = await verdictOf(loaded, fetched.response, ctx);
  if (verdict === ABORTED) return timedOut('handleResponse');
  if (typeof verdict === 'string') return fail(verdict, fetched.response.status);
  const latencyMs = elapsed(ctx, start);
  return {
    outcome: verdict.outcome,
    message: verdict.message ?? `${name} reported ${verdict.outcome}`,
    latencyMs,
    phases: { ttfb: fetched.ttfbMs, total: latencyMs },
    ...(verdict.value === undefined ? {} : { value: verdict.value }),
    details: { recipe: name, status: fetched.response.status },
  };
}

/**
 * The recipe's verdict on `response`; a failure message when it read invalid JSON; `ABORTED` when the
 * check timed out first. Throws a {@link RecipeError} when it threw or returned something else.
 */
async function verdictOf(
  loaded: LoadedRecipe,
  response: RecipeResponse,
  ctx: CheckContext,
): Promise<RecipeVerdict | string | typeof ABORTED> {
  let returned: unknown;
  try {
    returned = await untilAborted(
      () => loaded.recipe.handleResponse(response, loaded.options),
      ctx.signal,
    );
  } catch (error) {
    if (error === ABORTED) return ABORTED;
    if (isInvalidJsonError(error)) return error.message;
    throw crash(loaded, 'handleResponse', error);
  }
  const verdict = toVerdict(returned);
  if (verdict !== undefined) return verdict;
  throw new RecipeError(
    loaded.ref,
    'handleResponse',
    `handleResponse returned ${preview(returned)}; expected 'ok', 'fail', 'pending', 'degraded' or { outcome, message?, value? }`,
  );
}

/** The request a recipe's `request(options)` returns, validated; `ABORTED` if the check timed out first. */
async function requestOf(
  loaded: LoadedRecipe,
  ctx: CheckContext,
): Promise<PreparedRequest | typeof ABORTED> {
  const make = loaded.recipe.request as (
    options: unknown,
  ) => RecipeRequest | Promise<RecipeRequest>;
  let returned: unknown;
  try {
    returned = await untilAborted(() => make(loaded.options), ctx.signal);
  } catch (error) {
    if (error === ABORTED) return ABORTED;
    throw crash(loaded, 'request', error);
  }
  const prepared = prepareRequest(returned);
  if (prepared.ok) return prepared.request;
  throw new RecipeError(
    loaded.ref,
    'request',
    `request() returned an invalid request: ${prepared.problem}`,
  );
}

function crash(loaded: LoadedRecipe, phase: RecipePhase, error: unknown): RecipeError {
  const kind = error instanceof Error ? error.name : 'a non-error';
  return new RecipeError(loaded.ref, phase, `threw in ${phase}`, {
    cause: error,
    reason: `${kind}: ${oneLine(error)}`,
  });
}

/**
 * Calls recipe code and waits for it, unless `signal` aborts first (then rejects with `ABORTED`). The code
 * itself cannot be stopped; a recipe that loops forever holds the event loop, like any code in the process.
 */
function untilAborted<T>(call: () => T | Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(ABORTED);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(call)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
