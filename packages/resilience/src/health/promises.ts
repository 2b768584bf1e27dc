/** True for anything with a `then` method (a promise, or another library's thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Resolves as `promise` does, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<V>(signal: AbortSignal, promise: Promise<V>): Promise<V> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<V>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
