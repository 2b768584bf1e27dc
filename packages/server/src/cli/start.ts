import { startApp } from '../app.js';
import { isConfigError } from '../config/index.js';
import type { Output } from './output.js';

/** `vigil start [config]`: runs until SIGINT/SIGTERM, then shuts down cleanly. */
export async function startCommand(
  configPath: string,
  io: Output,
  signals: { once(signal: 'SIGINT' | 'SIGTERM', fn: () => void): void },
): Promise<number> {
  let app;
  try {
    app = await startApp({ configPath });
  } catch (error) {
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 1;
  }
  const running = app;
  io.out(`\nVigil is running: the board is at ${app.url}\n`);
  const setupToken = await app.auth.setupToken();
  if (setupToken !== undefined)
    io.out(`First run: open ${app.url}/setup?token=${setupToken} to create the admin account.\n`);
  io.out('Ctrl-C stops it.\n\n');
  await new Promise<void>((resolve) => {
    const shutdown = (): void => resolve();
    signals.once('SIGINT', shutdown);
    signals.once('SIGTERM', shutdown);
  });
  await running.stop();
  return 0;
}
