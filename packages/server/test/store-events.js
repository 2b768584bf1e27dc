export function state(status, at, extra = {}) {
  return {
    status,
    reason: `${status} reason`,
    since: at,
    lifecycle: 'running',
    confirmed: status === 'up' ? 'up' : status === 'down' ? 'down' : 'unknown',
    consecutiveFailures: status === 'down' ? 3 : 0,
    consecutiveSuccesses: status === 'up' ? 1 : 0,
    backoff: { attempt: 0, previousDelayMs: undefined },
    ...extra,
  };
}
export function checked(monitorId, at, spec = {}) {
  const outcome = spec.outcome ?? 'ok';
  const status =
    spec.status ?? (outcome === 'fail' ? 'down' : outcome === 'degraded' ? 'degraded' : 'up');
  const message = spec.message ?? (outcome === 'ok' ? 'connected' : `${outcome} result`);
  return {
    monitorId,
    result: {
      monitorId,
      outcome,
      message,
      latencyMs: spec.latencyMs ?? 12.34,
      startedAt: at,
      lagMs: 0,
      ...(spec.details === undefined ? {} : { details: spec.details }),
      ...(spec.phases === undefined ? {} : { phases: spec.phases }),
      ...(spec.value === undefined ? {} : { value: spec.value }),
    },
    state:
      spec.state ??
      state(status, at, {
        lastResult: { outcome, message, latencyMs: spec.latencyMs ?? 12.34, at },
      }),
    change: null,
  };
}
export function changed(monitorId, from, to, at, cause = 'check', st = state(to, at)) {
  return { monitorId, change: { from, to, reason: `${from} → ${to}`, at }, cause, state: st };
}
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
//# sourceMappingURL=store-events.js.map
