// The file flag provider: flags in a YAML file, watched for changes, driving a FlagSupervisor.
// The toolkit reads JSON itself; for YAML it takes a parse function (here from the `yaml` package).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import {
  createFileFlagProvider,
  createFlagSupervisor,
  type FlagFileError,
} from '@vigil/resilience';
import { parse } from 'yaml';

export async function main(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-flags-example-'));
  const path = join(dir, 'flags.yaml');
  await writeFile(
    path,
    `flags:
  monitor.payments-api: true        # shorthand: a static value
  notifier.slack:                   # flagd-style definition
    state: ENABLED
    variants: { on: true, off: false }
    defaultVariant: on
`,
  );

  const log: string[] = [];
  const provider = createFileFlagProvider({
    path,
    parse, // from 'yaml'
    debounceMs: 50, // reread 50 ms after the last change notification
    onError: (error: FlagFileError) => log.push(`flag file error: ${error.code}`),
  });
  await OpenFeature.setProviderAndWait('vigil', provider);

  const idle = (ctx: { onStop(fn: () => void): void }): Promise<void> =>
    new Promise((resolve) => ctx.onStop(resolve));
  const flags = createFlagSupervisor({
    client: OpenFeature.getClient('vigil'),
    children: [
      { id: 'payments-api', flag: 'monitor.payments-api', task: idle },
      { id: 'slack', flag: 'notifier.slack', task: idle },
    ],
  });
  await flags.start();
  log.push(`payments-api: ${flags.getChild('payments-api')?.state}`);

  // An operator edits the file. The provider notices, rereads it and announces the change; the
  // supervisor stops the monitor.
  const changed = new Promise<void>((resolve) => {
    const handler = (): void => {
      provider.events.removeHandler(ProviderEvents.ConfigurationChanged, handler);
      resolve();
    };
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, handler);
  });
  await writeFile(path, 'flags:\n  monitor.payments-api: false\n  notifier.slack: true\n');
  await changed;
  await flags.refresh();
  log.push(`payments-api: ${flags.getChild('payments-api')?.state}`);

  // A broken edit changes nothing: the last valid flags stay in force, and the error is reported.
  await writeFile(path, 'flags:\n  monitor.payments-api: [unclosed\n');
  await provider.reload();
  log.push(`payments-api: ${flags.getChild('payments-api')?.state}`);

  await flags.stop();
  await OpenFeature.clearProviders(); // closes the provider: it stops watching
  await rm(dir, { recursive: true, force: true });
  return log;
}
