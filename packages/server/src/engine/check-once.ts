import { TimeoutError, type Clock } from '@vigil/resilience';
import type { Check, CheckDeps, CheckKind, CheckResult } from '../checks/index.js';
import { formatDuration, type MonitorConfig } from '../config/index.js';

/** Extra time a check gets past its timeout to honour its abort signal before it is abandoned. */
export const ABANDON_GRACE_MS = 1000;

/** Runs a built check once under the monitor's timeout; a check that ignores the signal is abandoned. */
export async function runWithTimeout(
  check: Check,
  config: MonitorConfig,
  clock: Clock,
): Promise<CheckResult> {
  const timeoutMs = config.timeoutMs;
  const controller = new AbortController();
  const start = clock.monotonic();
  const timer = clock.setTimer(timeoutMs, () =>
    controller.abort(
      new TimeoutError(
        `check of "${config.id}" timed out after ${formatDuration(timeoutMs)}`,
        timeoutMs,
      ),
    ),
  );
  let guard: { cancel(): void } | undefined;
  const abandoned = new Promise<CheckResult>((resolve) => {
    guard = clock.setTimer(timeoutMs + ABANDON_GRACE_MS, () =>
      resolve({
        outcome: 'fail',
        message: `timed out after ${formatDuration(timeoutMs)} (the check did not stop when asked)`,
        latencyMs: clock.monotonic() - start,
      }),
    );
  });
  try {
    return await Promise.race([
      check.run({ signal: controller.signal, clock, timeoutMs, monitorId: config.id }),
      abandoned,
    ]);
  } finally {
    timer.cancel();
    guard?.cancel();
  }
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
