// Shared set-up of the store contract suites (src/store/*.contract.ts).
import { FakeClock } from '@vigil/resilience/testing';
import { afterEach } from 'vitest';
import { MINUTE } from './store-events.js';
import type { Retention } from '../src/store/model/retention.js';
import type { Store } from '../src/store/store.js';
import type { MonitorInfo } from '../src/store/types.js';

/** How a back end's test file opens stores for the suite. */
export interface StoreHarness {
  /** A fresh, empty database location (a file path, a URL with its own schema). */
  create(): Promise<string>;
  /** Opens the store at `location` (migrating it). */
  open(location: string, options: HarnessOptions): Promise<Store>;
}

export interface HarnessOptions {
  readonly clock: FakeClock;
  readonly retention?: Partial<Retention>;
  readonly batchSize?: number;
  readonly bufferSize?: number;
  readonly pruneIntervalMs?: number | null;
}

export const monitor = (id: string, extra: Partial<MonitorInfo> = {}): MonitorInfo => ({
  id,
  name: `${id} name`,
  group: 'core',
  kind: 'tcp',
  intervalMs: MINUTE,
  ...extra,
});

/**
 * Opens stores for the tests of one `describe` (call it inside): `fresh` a new empty one, `reopen` one
 * again after closing it. Every store opened is closed after each test.
 */
export function storeSetup(harness: StoreHarness) {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  async function fresh(options: Partial<HarnessOptions> = {}) {
    const clock = options.clock ?? new FakeClock();
    const location = await harness.create();
    const store = await harness.open(location, { pruneIntervalMs: null, ...options, clock });
    open.push(store);
    return { store, clock, location, t0: clock.now() };
  }
  async function reopen(location: string, clock: FakeClock, old: Store) {
    await old.close();
    const store = await harness.open(location, { clock, pruneIntervalMs: null });
    open.push(store);
    return store;
  }
  return { fresh, reopen };
}
