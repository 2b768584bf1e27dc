import { isAbsolute, resolve } from 'node:path';
import type { BackoffPolicy, Random, RetryEvent } from '@vigil/resilience';
import type { StorageConfig } from '../config/index.js';
import { resolveRetention, type Retention } from './model/retention.js';
import { openPostgresStore } from './postgres/index.js';
import type { SqlStoreOptions } from './sql/sql-store.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

/** Options of {@link createStore}: the services and tuning the config does not carry. */
export interface CreateStoreOptions extends Omit<SqlStoreOptions, 'retention'> {
  /** Directory a relative SQLite path resolves against (the config file's). Default the working directory. */
  readonly baseDir?: string;
  /** Overrides the config's retention, key by key. */
  readonly retention?: Partial<Retention>;
  /** PostgreSQL: delays between attempts to reach the server at start (default exponential 1 s → 30 s, jittered). */
  readonly connectRetry?: BackoffPolicy;
  readonly random?: Random;
  /** PostgreSQL: stops retrying at start. */
  readonly signal?: AbortSignal;
  /** PostgreSQL: told before each retry at start, with an error naming the server. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Opens the store the config's `storage` section names — SQLite (the default, `./data/vigil.db`) or
 * PostgreSQL — and migrates it. The one factory the composition root calls.
 */
export async function createStore(
  config: StorageConfig,
  options: CreateStoreOptions,
): Promise<Store> {
  const { baseDir, retention: override, ...rest } = options;
  const retention = resolveRetention({ ...definedOnly(config.retention ?? {}), ...override });
  if (config.type === 'sqlite') {
    const path = isAbsolute(config.path) ? config.path : resolve(baseDir ?? '.', config.path);
    return openSqliteStore({ ...rest, retention, path });
  }
  return openPostgresStore({ ...rest, retention, url: config.url });
}

function definedOnly(o: Readonly<Record<string, number | undefined>>): Partial<Retention> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
