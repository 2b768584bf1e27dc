import { TimeoutError, type Clock } from '@vigil/resilience';
import type { Check, CheckDeps, CheckKind, CheckResult } from '../checks/index.js';
import { formatDuration, type MonitorConfig } from '../config/index.js';

/** Extra time a check gets past its timeout to honour its abort signal before it is abandoned. */
export const ABANDON_GRACE_MS = 1000;

/**
 * Runs a built check once under the monitor's timeout; a check that ignores the signal is abandoned.
 * One timer per run: at the timeout it aborts the signal and re-arms for the grace period.
 */
export function runWithTimeout(
  check: Check,
  config: MonitorConfig,
  clock: Clock,
): Promise<CheckResult> {
  const timeoutMs = config.timeoutMs;
  const controller = new AbortController();
  const start = clock.monotonic();
  return new Promise<CheckResult>((resolve, reject) => {
    let settled = false;
    let timer = clock.setTimer(timeoutMs, () => {
      controller.abort(
        new TimeoutError(
          `check of "${config.id}" timed out after ${formatDuration(timeoutMs)}`,
          timeoutMs,
        ),
      );
      if (settled) return;
      timer = clock.setTimer(ABANDON_GRACE_MS, () => {
        if (settled) return;
        settled = true;
        resolve({
          outcome: 'fail',
          message: `timed out after ${formatDuration(timeoutMs)} (the check did not stop when asked)`,
          latencyMs: clock.monotonic() - start,
        });
      });
    });
    const done = (): boolean => {
      if (settled) return false;
      settled = true;
      timer.cancel();
      return true;
    };
    check.run({ signal: controller.signal, clock, timeoutMs, monitorId: config.id }).then(
      (result) => {
        if (done()) resolve(result);
      },
      (error: unknown) => {
        if (done()) reject(error);
      },
    );
  });
}

/**
 * Builds a monitor's check, runs it once and closes it (`vigil check`). A check that cannot be built or
 * that throws is reported as a failed result saying so, rather than thrown.
 */
export async function checkOnce(
  config: MonitorConfig,
  kinds: Readonly<Record<string, CheckKind>>,
  deps: CheckDeps,
): Promise<CheckResult> {
  const kind = kinds[config.kind];
  if (kind === undefined)
    return { outcome: 'fail', message: `unknown check kind "${config.kind}"`, latencyMs: 0 };
  let check: Check;
  try {
    check = await kind.create(config.check, deps, config.id);
  } catch (error) {
    return {
      outcome: 'fail',
      message: `cannot start the check: ${messageOf(error)}`,
      latencyMs: 0,
    };
  }
  try {
    return await runWithTimeout(check, config, deps.clock);
  } catch (error) {
    return { outcome: 'fail', message: `the check crashed: ${messageOf(error)}`, latencyMs: 0 };
  } finally {
    await check.close?.().catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
