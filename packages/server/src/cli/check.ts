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
    const down = results.filter((r) => r.result.outcome === 'fail').length;
    io.out(`${results.length - down} of ${results.length} up${down > 0 ? `, ${down} down` : ''}\n`);
    return down > 0 ? 1 : 0;
  } catch (error) {
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 2;
  }
}
