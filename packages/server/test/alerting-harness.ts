// Builds the alerting pipeline for tests: a real SQLite store, the router, the delivery worker and local
// receivers, all on one FakeClock. Real I/O (SQLite, HTTP) runs between clock steps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';
import {
  createAlertRouter,
  createDeliveryWorker,
  type AlertRouter,
  type BoundNotifier,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from '../src/alerting/index.js';
import { checkKinds, type CheckKind } from '../src/checks/index.js';
import { loadConfig, type Config } from '../src/config/index.js';
import { openSqliteStore, resolveRetention, type Store } from '../src/store/index.js';
import { testNotifier, testNotifierTypes } from './alert-receiver.js';

export interface AlertingHarness {
  readonly clock: FakeClock;
  readonly store: Store;
  readonly router: AlertRouter;
  readonly worker: DeliveryWorker;
  readonly config: Config;
  /** Moves the clock in steps of `stepMs`, letting real I/O run after each, until `done()` or `maxMs`. */
  drive(done: () => boolean | Promise<boolean>, stepMs?: number, maxMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Lets real I/O (sockets, SQLite) make progress. */
export const io = (ms = 2): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function notifiersOf(config: Config): Map<string, BoundNotifier> {
  return new Map(config.notifiers.map((c) => [c.id, { notifier: testNotifier, config: c }]));
}

export async function alertingHarness(
  yaml: string,
  options: {
    readonly path?: string;
    readonly clock?: FakeClock;
    readonly kinds?: Readonly<Record<string, CheckKind>>;
    readonly worker?: Partial<DeliveryWorkerOptions>;
  } = {},
): Promise<AlertingHarness> {
  const clock = options.clock ?? new FakeClock();
  const dir =
    options.path === undefined ? mkdtempSync(join(tmpdir(), 'vigil-alerting-')) : undefined;
  const config = loadConfig(yaml, {
    file: 'vigil.yaml',
    dir: '/tmp',
    env: {},
    kinds: options.kinds ?? checkKinds,
    notifierTypes: testNotifierTypes,
  });
  const store = await openSqliteStore({
    path: options.path ?? join(dir as string, 'vigil.db'),
    clock,
    retention: resolveRetention({}),
    pruneIntervalMs: null,
  });
  await store.syncMonitors(config.monitors);
  const router = createAlertRouter({
    clock,
    config,
    enqueue: (id, intents) => store.outbox.enqueue(id, intents),
  });
  const worker = createDeliveryWorker({
    outbox: store.outbox,
    notifiers: notifiersOf(config),
    clock,
    random: seededRandom(7),
    ...options.worker,
  });
  return {
    clock,
    store,
    router,
    worker,
    config,
    async drive(done, stepMs = 100, maxMs = 600_000) {
      for (let t = 0; t <= maxMs; t += stepMs) {
        await io();
        if (await done()) return true;
        await clock.advance(stepMs);
      }
      return false;
    },
    async close() {
      router.close();
      await worker.close();
      await store.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
