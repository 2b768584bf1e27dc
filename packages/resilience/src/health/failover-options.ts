import type { FailoverOptions } from './failover-types.js';

/** Throws `TypeError`/`RangeError` naming the first bad option of {@link failover}. */
export function validateFailoverOptions<T>(options: FailoverOptions<T>): void {
  const raw = options as unknown as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null) {
    throw new TypeError('failover: options must be { primary, replacement, health, reconcile? }');
  }
  const where = `failover${typeof raw.id === 'string' ? ` "${raw.id}"` : ''}`;
  for (const name of ['primary', 'replacement'] as const) {
    if (typeof raw[name] !== 'object' || raw[name] === null) {
      throw new TypeError(`${where}: ${name} must be an object (the service to route calls to)`);
    }
  }
  const health = raw.health as Record<string, unknown> | undefined;
  if (typeof health?.on !== 'function') {
    throw new TypeError(
      `${where}: health must be a HealthChecker (or have on('failure' | 'connect'))`,
    );
  }
  if (raw.reconcile !== undefined && typeof raw.reconcile !== 'function') {
    throw new TypeError(`${where}: reconcile must be a function, got ${typeof raw.reconcile}`);
  }
  const timeout = raw.reconcileTimeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
    throw new RangeError(
      `${where}: reconcileTimeoutMs must be a number of ms > 0, got ${typeof timeout === 'number' ? timeout : JSON.stringify(timeout)}`,
    );
  }
}
