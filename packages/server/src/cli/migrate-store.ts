import { migrateStoreCommand } from '../app.js';
import { isConfigError } from '../config/index.js';
import type { MigrateProgress } from '../store/index.js';
import type { Output } from './output.js';

/** A one-line progress bar: `[#########-----------]  45%  results 120,000/266,000`. */
export function progressBar(p: MigrateProgress, width = 30): string {
  const fraction = p.overall.total === 0 ? 1 : Math.min(1, p.overall.copied / p.overall.total);
  const filled = Math.round(fraction * width);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${p.table} ${p.copied.toLocaleString('en')}/${p.total.toLocaleString('en')}`;
}

/** `vigil migrate-store <target> [config]`: copies the config's store into another (SQLite ↔ PostgreSQL). */
export async function migrateStoreCli(
  configPath: string,
  target: string,
  io: Output,
  tty: boolean,
): Promise<number> {
  let last = '';
  try {
    const result = await migrateStoreCommand(configPath, target, (p) => {
      const line = progressBar(p);
      if (line === last) return;
      last = line;
      io.err(tty ? `\r${line}` : `${line}\n`);
    });
    if (tty) io.err('\n');
    io.out(`copied ${result.rows.toLocaleString('en')} rows from ${result.from} to ${result.to}\n`);
    io.out(`now set storage in ${configPath} to the new store and start Vigil\n`);
    return 0;
  } catch (error) {
    if (tty && last !== '') io.err('\n');
    io.err(`${isConfigError(error) ? error.message : (error as Error).message}\n`);
    return 1;
  }
}
