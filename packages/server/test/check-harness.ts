// Runs a check kind the way the engine does (validated config, a timeout on the signal), for kind tests.
import { systemClock } from '@vigil/resilience';
import type { CheckDeps, CheckKind, CheckResult, Heartbeat } from '../src/checks/index.js';

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly deps?: Partial<CheckDeps>;
  readonly monitorId?: string;
}

/** Validates `config` with the kind's schema (throwing its issues), builds the check and runs it once. */
export async function runCheck<C>(
  kind: CheckKind<C>,
  config: unknown,
  options: RunOptions = {},
): Promise<CheckResult> {
  const parsed = kind.schema.safeParse(config);
  if (!parsed.success)
    throw new Error(`bad ${kind.name} config: ${JSON.stringify(parsed.error.issues)}`);
  const heartbeats = new Map<string, Heartbeat>();
  const deps: CheckDeps = {
    clock: systemClock,
    configDir: process.cwd(),
    heartbeats: { last: (id) => heartbeats.get(id) },
    ...options.deps,
  };
  const monitorId = options.monitorId ?? 'test';
  const check = await kind.create(parsed.data, deps, monitorId);
  const timeoutMs = options.timeoutMs ?? 2000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('check timed out')), timeoutMs);
  try {
    return await check.run({ signal: controller.signal, clock: deps.clock, timeoutMs, monitorId });
  } finally {
    clearTimeout(timer);
    await check.close?.();
  }
}

/** The issues a kind's schema reports for `config`, as `path: message` lines. */
export function schemaIssues(kind: CheckKind, config: unknown): string[] {
  const parsed = kind.schema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
