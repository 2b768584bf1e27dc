const BRAND = Symbol.for('@vigil/resilience.VigilError');

/** Options every Vigil error accepts. */
export interface VigilErrorOptions {
  /** The lower-level error or reason that caused this one. */
  readonly cause?: unknown;
}

/**
 * Base of every operational error Vigil raises: a stable machine-readable `code`, whether retrying
 * the same operation may succeed (`retryable`), and the underlying `cause`.
 *
 * Recognise these errors with {@link isVigilError} or {@link hasErrorCode}, not `instanceof`: two copies of
 * the toolkit in one process (or a bundled copy) would make `instanceof` lie.
 */
export abstract class VigilError extends Error {
  readonly [BRAND] = true as const;
  /** Stable identifier such as `QUEUE_FULL`; never changes between releases. */
  abstract readonly code: string;
  /** True when the same operation may succeed if tried again later. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: VigilErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** True when `value` is a Vigil error of any code. */
export function isVigilError(value: unknown): value is VigilError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/** True when `value` is a Vigil error with the given `code`. */
export function hasErrorCode<C extends string>(
  value: unknown,
  code: C,
): value is VigilError & { readonly code: C } {
  return isVigilError(value) && value.code === code;
}

/**
 * Whether retrying after `error` may help: a Vigil error answers for itself; an abort never is;
 * any other error (a plain network error, say) is assumed transient.
 */
export function isRetryable(error: unknown): boolean {
  if (isVigilError(error)) return error.retryable;
  return !isAbortError(error);
}

/** True for the errors an aborted `AbortSignal` produces (`AbortError`, or a `TimeoutError` from `AbortSignal.timeout`). */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error.name === 'AbortError' || error.name === 'TimeoutError') &&
    !isVigilError(error)
  );
}
