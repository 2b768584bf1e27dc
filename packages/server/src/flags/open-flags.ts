import { resolve } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import {
  createFileFlagProvider,
  hasErrorCode,
  type Clock,
  type FileFlagProvider,
  type FlagFileError,
} from '@vigil/resilience';
import { parse as parseYaml } from 'yaml';
import type { Config, FlagsConfig } from '../config/index.js';
import { createFlagGates, type FlagGates } from './flag-gates.js';

/** Options of {@link openFlags}. */
export interface OpenFlagsOptions {
  /** The OpenFeature domain the provider is bound to: one of its own per server, so servers stay apart. */
  readonly domain: string;
  readonly clock?: Clock;
  /** Told when the provider cannot be used (flags then take the fallback) and of every bad flag file. */
  readonly onError: (message: string, error: unknown) => void;
}

/** The server's flags, open: the gates and the provider behind them. */
export interface OpenFlags {
  readonly gates: FlagGates;
  /** Stops the gates and closes the provider (it stops watching its file). */
  close(): Promise<void>;
}

/** The embedded file provider for a `flags:` section: YAML unless the file ends in `.json`. */
export function createFlagProvider(
  flags: FlagsConfig,
  dir: string,
  options: Pick<OpenFlagsOptions, 'clock' | 'onError'>,
): FileFlagProvider {
  const path = resolve(dir, flags.path);
  return createFileFlagProvider({
    path,
    parse: path.endsWith('.json') ? JSON.parse : parseYaml,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onError: (error: FlagFileError) => options.onError(`flags: ${error.message}`, error),
  });
}

/**
 * Builds the provider of `config.flags`, binds it to `domain`, waits for it to be ready (a provider that
 * fails is reported: its flags take the fallback until it recovers) and starts the gates of the config's
 * `flag:` keys. Undefined when the config has no `flags:` section.
 */
export async function openFlags(
  config: Config,
  options: OpenFlagsOptions,
): Promise<OpenFlags | undefined> {
  const flags = config.flags;
  if (flags === undefined) return undefined;
  const provider = createFlagProvider(flags, config.dir, options);
  try {
    await OpenFeature.setProviderAndWait(options.domain, provider);
  } catch (error) {
    // A bad flag file was reported by the provider itself, saying what to fix.
    if (!hasErrorCode(error, 'FLAG_FILE_INVALID'))
      options.onError(
        `flags: the ${flags.provider} provider is not ready (${(error as Error).message}); flags take the fallback (${String(flags.fallback)}) until it is`,
        error,
      );
  }
  const gates = createFlagGates({
    client: OpenFeature.getClient(options.domain),
    fallback: flags.fallback,
    pollMs: flags.pollIntervalMs,
    evaluationTimeoutMs: flags.evaluationTimeoutMs,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  await gates.start(config);
  return {
    gates,
    async close() {
      await gates.stop();
      await provider.onClose();
    },
  };
}

/**
 * Whether a reloaded config changes the `flags:` section itself. The provider is built once, at start: such
 * a change takes effect at the next start (the `flag:` keys follow every reload).
 */
export function flagsSectionChanged(before: Config, after: Config): boolean {
  return JSON.stringify(before.flags ?? null) !== JSON.stringify(after.flags ?? null);
}
