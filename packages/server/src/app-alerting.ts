// Part of the composition root (app.ts): the alerting pipeline, on the real clock.
import { systemClock, systemRandom } from '@vigil/resilience';
import type { Logger } from 'pino';
import {
  bindNotifiers,
  createAlertRouter,
  createDeliveryWorker,
  type AlertRouter,
  type DeliveryWorker,
  type Notifier,
} from './alerting/index.js';
import type { Config } from './config/index.js';
import type { FlagGates } from './flags/index.js';
import type { Store } from './store/index.js';

/** Builds the alert router and the delivery worker of a config, on the real clock. */
export function startAlerting(
  config: Config,
  types: Readonly<Record<string, Notifier>>,
  store: Store,
  logger: Logger,
  flags: FlagGates | undefined,
): { router: AlertRouter; worker: DeliveryWorker } {
  const worker = createDeliveryWorker({
    outbox: store.outbox,
    notifiers: bindNotifiers(config.notifiers, types),
    // A notifier whose flag is off keeps its alerts queued, in order, until the flag is on again.
    ...(flags === undefined ? {} : { paused: (id: string) => !flags.isOn('notifier', id) }),
    clock: systemClock,
    random: systemRandom,
    onError: (error) => logger.error({ err: error }, `alerting: ${(error as Error).message}`),
    onAttempt: (rows, result) => {
      const ids = rows.map((r) => r.id).join(',');
      if (result.ok)
        logger.info({ alerts: ids }, `alert ${ids} delivered to ${rows[0]?.notifierId ?? ''}`);
      else
        logger.warn(
          { alerts: ids, retryable: result.retryable },
          `alert ${ids} not delivered: ${result.error}`,
        );
    },
  });
  const router = createAlertRouter({
    clock: systemClock,
    config,
    enqueue: async (monitorId, intents) => {
      const ids = await store.outbox.enqueue(monitorId, intents);
      worker.wake(Math.min(...intents.map((i) => i.notBefore ?? 0)));
      return ids;
    },
    onError: (error, monitorId) =>
      logger.error(
        { err: error, monitor: monitorId },
        `alerting: could not queue an alert for ${monitorId}`,
      ),
    ...(config.server.publicUrl === undefined ? {} : { publicUrl: config.server.publicUrl }),
  });
  return { router, worker };
}
