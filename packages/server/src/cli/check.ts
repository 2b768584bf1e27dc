import { checkAll, loadConfigFile } from '../app.js';
import type { Outcome } from '../checks/index.js';
import { isConfigError } from '../config/index.js';
import { table, type Output } from './output.js';

const label: Record<Outcome, string> = {
  ok: 'UP',
  fail: 'DOWN',
  degraded: 'DEGRADED',
  pending: 'PENDING',
};

/** `vigil check [config] [--monitor id…]`: runs each check once, prints a table; exit 1 if any is down. */
export async function checkCommand(
  configPath: string,
  monitors: readonly string[],
  io: Output,
): Promise<number> {
  try {
    const config = await loadConfigFile(configPath);
    const results = await checkAll(config, monitors);
    if (results.length === 0) {
      io.out('no monitors to check\n');
      return 0;
    }
    const rows = results.map(({ monitor, result }) => [
      label[result.outcome],
      monitor.id,
      monitor.kind,
      `${Math.round(result.latencyMs)} ms`,
      result.message,
    ]);
    io.out(`${table(['STATUS', 'MONITOR', 'KIND', 'LATENCY', 'REASON'], rows)}\n`);
    const count = (outcome: Outcome): number =>
      results.filter((r) => r.result.outcome === outcome).length;
    const down = count('fail');
    const parts = [
      `${count('ok')} up`,
      ...(['degraded', 'pending'] as const)
        .filter((o) => count(o) > 0)
        .map((o) => `${count(o)} ${o}`),
    ];
    if (down > 0) parts.push(`${down} down`);
    io.out(`${parts.join(', ')} (of ${results.length})\n`);
    return down > 0 ? 1 : 0;
  } catch (error) {
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 2;
  }
}
