import { notifyTestCommand } from '../app.js';
import { isConfigError } from '../config/index.js';
import type { Output } from './output.js';

/**
 * `vigil notify test <notifier> [config]`: sends a test message through one notifier and prints how it
 * went; exit 0 when it was delivered, 1 otherwise.
 */
export async function notifyCommand(
  configPath: string,
  notifierId: string,
  io: Output,
  types?: Parameters<typeof notifyTestCommand>[2],
): Promise<number> {
  try {
    const { result, sent, durationMs } = await notifyTestCommand(configPath, notifierId, types);
    const took = `${Math.round(durationMs)} ms`;
    if (result.ok) {
      io.out(
        `${notifierId}: delivered (${sent} payload${sent === 1 ? '' : 's'}, ${took}${result.detail === undefined ? '' : `, ${result.detail}`})\n`,
      );
      return 0;
    }
    const status = result.status === undefined ? '' : ` (HTTP ${result.status})`;
    const hint = result.retryable
      ? 'a temporary failure: Vigil would retry it'
      : 'Vigil would not retry it: check the notifier config';
    io.err(`${notifierId}: not delivered after ${took}${status}: ${result.error}; ${hint}\n`);
    return 1;
  } catch (error) {
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 1;
  }
}
