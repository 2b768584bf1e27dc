// Builders of engine events for store tests: results, changes and states with only what a test cares about.
import type { Outcome, Phase } from '../src/checks/index.js';
import type {
  ChangeCause,
  ChangeEvent,
  CheckedEvent,
  MonitorState,
  Status,
} from '../src/engine/types.js';

export function state(status: Status, at: number, extra: Partial<MonitorState> = {}): MonitorState {
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

export interface ResultSpec {
  readonly outcome?: Outcome;
  readonly latencyMs?: number;
  readonly status?: Status;
  readonly message?: string;
  readonly details?: Record<string, string | number | boolean | null>;
  readonly phases?: Partial<Record<Phase, number>>;
  readonly value?: number;
  readonly state?: MonitorState;
}

export function checked(monitorId: string, at: number, spec: ResultSpec = {}): CheckedEvent {
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

export function changed(
  monitorId: string,
  from: Status,
  to: Status,
  at: number,
  cause: ChangeCause = 'check',
  st: MonitorState = state(to, at),
): ChangeEvent {
  return { monitorId, change: { from, to, reason: `${from} → ${to}`, at }, cause, state: st };
}

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
