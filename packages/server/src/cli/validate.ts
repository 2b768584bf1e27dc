import { loadConfigFile } from '../app.js';
import { isConfigError } from '../config/index.js';
import type { Output } from './output.js';

/** `vigil validate [config]`: exit 0 when the config is valid, else 1 with every problem listed. */
export async function validateCommand(configPath: string, io: Output): Promise<number> {
  try {
    const config = await loadConfigFile(configPath);
    const kinds = new Set(config.monitors.map((m) => m.kind));
    io.out(
      `${configPath} is valid: ${config.monitors.length} monitor${config.monitors.length === 1 ? '' : 's'} in ${config.groups.length} group${config.groups.length === 1 ? '' : 's'} (${[...kinds].sort().join(', ') || 'no checks'})\n`,
    );
    return 0;
  } catch (error) {
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 1;
  }
}
