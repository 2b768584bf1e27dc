/**
 * Resolves after every promise chain that is ready to run has run: the microtask queue drains completely
 * before an immediate fires. Used by `FakeClock` between timers.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
