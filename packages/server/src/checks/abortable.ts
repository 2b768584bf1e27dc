/**
 * Resolves or rejects as `promise` does, or rejects with `signal.reason` as soon as `signal` aborts (at
 * once if it already has), for protocol clients that take no signal. The abandoned promise keeps running:
 * the caller must still release what it holds (close the client, destroy the socket). The abort listener
 * is removed when either side settles.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
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
