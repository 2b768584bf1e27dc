import { formatDuration } from '../config/index.js';
import type { CheckContext, CheckResult, Outcome } from './check-kind.js';

type Extra = Omit<CheckResult, 'outcome' | 'message' | 'latencyMs'>;

function result(
  outcome: Outcome,
  message: string,
  latencyMs: number,
  extra: Extra = {},
): CheckResult {
  return { outcome, message, latencyMs, ...extra };
}

export const ok = (message: string, latencyMs: number, extra?: Extra): CheckResult =>
  result('ok', message, latencyMs, extra);
export const failed = (message: string, latencyMs: number, extra?: Extra): CheckResult =>
  result('fail', message, latencyMs, extra);
export const degraded = (message: string, latencyMs: number, extra?: Extra): CheckResult =>
  result('degraded', message, latencyMs, extra);
export const pending = (message: string, latencyMs: number, extra?: Extra): CheckResult =>
  result('pending', message, latencyMs, extra);

/** Milliseconds since `start` on the check's clock, rounded to 0.01 ms. */
export function elapsed(ctx: CheckContext, start: number): number {
  return Math.round((ctx.clock.monotonic() - start) * 100) / 100;
}

/**
 * A specific, human message for an error met while checking `target`: a timeout says so with the limit,
 * system errors keep their code (ECONNREFUSED, ENOTFOUND…) and the target.
 */
export function describeError(error: unknown, target: string, ctx: CheckContext): string {
  if (ctx.signal.aborted) return `timed out after ${formatDuration(ctx.timeoutMs)} (${target})`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return `connection refused by ${target}`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return `cannot resolve host of ${target} (${code})`;
    if (code === 'ECONNRESET') return `connection reset by ${target}`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
      return `${target} is unreachable (${code})`;
    return code === undefined || error.message.includes(code)
      ? `${error.message} (${target})`
      : `${code}: ${error.message} (${target})`;
  }
  return `${String(error)} (${target})`;
}
