import { Command } from 'commander';
import { checkCommand } from './check.js';
import { migrateStoreCli } from './migrate-store.js';
import { notifyCommand } from './notify.js';
import type { Output } from './output.js';
import { startCommand } from './start.js';
import { validateCommand } from './validate.js';

const DEFAULT_CONFIG = 'vigil.yaml';

/** Runs the `vigil` command line; resolves with the exit code. */
export async function main(
  argv: readonly string[],
  io: Output,
  signals: Parameters<typeof startCommand>[2],
): Promise<number> {
  let code = 0;
  const program = new Command('vigil')
    .description('Vigil: service-health monitoring with a live status board')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  program
    .command('validate')
    .description('check a config file; exit 1 with every problem listed')
    .argument('[config]', 'config file', DEFAULT_CONFIG)
    .action(async (config: string) => {
      code = await validateCommand(config, io);
    });
  program
    .command('check')
    .description('run each check once and print a table; exit 1 if any is down')
    .argument('[config]', 'config file', DEFAULT_CONFIG)
    .option('-m, --monitor <id...>', 'only these monitors')
    .action(async (config: string, opts: { monitor?: string[] }) => {
      code = await checkCommand(config, opts.monitor ?? [], io);
    });
  program
    .command('start')
    .description('run the monitors (logs transitions; Ctrl-C to stop)')
    .argument('[config]', 'config file', DEFAULT_CONFIG)
    .action(async (config: string) => {
      code = await startCommand(config, io, signals);
    });
  program
    .command('migrate-store')
    .description(
      "copy the config's store into another: a PostgreSQL URL or a SQLite file (stop Vigil first; resumable)",
    )
    .argument('<target>', 'postgres://user@host/db, or a path to a SQLite file')
    .argument('[config]', 'config file', DEFAULT_CONFIG)
    .action(async (target: string, config: string) => {
      code = await migrateStoreCli(config, target, io, io.tty ?? false);
    });
  program
    .command('notify')
    .description('alert notifiers')
    .command('test')
    .description('send a test message through one notifier; exit 1 if it was not delivered')
    .argument('<notifier>', 'the id of a notifier in the config')
    .argument('[config]', 'config file', DEFAULT_CONFIG)
    .action(async (notifier: string, config: string) => {
      code = await notifyCommand(config, notifier, io);
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const exitCode = (error as { exitCode?: number }).exitCode;
    return typeof exitCode === 'number' ? exitCode : 1;
  }
  return code;
}
