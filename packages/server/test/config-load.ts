import { notifierTypes as builtInNotifiers } from '../src/alerting/notifiers/registry.js';
import { checkKinds } from '../src/checks/index.js';
import { ConfigError, formatIssue } from '../src/config/config-error.js';
import { loadConfig, type LoadConfigOptions } from '../src/config/load.js';
import type { Config } from '../src/config/index.js';

type Overrides = Partial<Omit<LoadConfigOptions, 'file'>>;

/** Loads a config text as `vigil.yaml` in /etc/vigil, with the built-in check kinds and notifiers. */
export function loadTestConfig(text: string, overrides: Overrides = {}): Config {
  return loadConfig(text, {
    file: 'vigil.yaml',
    dir: '/etc/vigil',
    env: {},
    kinds: checkKinds,
    notifierTypes: builtInNotifiers,
    ...overrides,
  });
}

/** The problems a config text is refused with, formatted as the CLI prints them; throws if it loads. */
export function configProblems(text: string, overrides: Overrides = {}): string[] {
  try {
    loadTestConfig(text, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected the config to be refused');
}
