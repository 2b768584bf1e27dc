/** True for anything with a `then` method (a promise, or another library's thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Settles as `promise` does, or rejects with `signal.reason` as soon as `signal` aborts (at once if it
 * already has) — for clients that take no signal. The abandoned promise keeps running: the caller must
 * still release what it holds (close the client, destroy the socket); its late rejection is handled here,
 * so it never surfaces as an unhandled rejection. The abort listener is removed when either side settles.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
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
