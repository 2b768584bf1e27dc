// How the engine's events reach the store, the live feed and the metrics, and heartbeats reach the engine.
// Built by app.ts; nothing here reads the environment or files.
import type { Logger } from 'pino';
import { summaryView, type LiveHub, type Metrics } from './api/index.js';
import type { HeartbeatRegistry } from './checks/push/index.js';
import type { AlertRouter, DeliveryWorker } from './alerting/index.js';
import type { ChangeEvent, CheckedEvent, Engine } from './engine/index.js';
import type { EventSink, OutboxIntent } from './store/index.js';

/** How alerting joins the store's writes: the router's side of each engine event. */
export interface AlertHooks {
  /** The alert intents a change raises, written in the change's transaction. */
  onChange(event: ChangeEvent): OutboxIntent[];
  onChecked(event: CheckedEvent): void;
  /** The change and its intents are durable: deliver them when due. */
  recorded(intents: readonly OutboxIntent[]): void;
}

/** The {@link AlertHooks} of a router and a delivery worker. */
export function alertHooks(router: AlertRouter, worker: DeliveryWorker): AlertHooks {
  return {
    onChange: (event) => router.onChange(event),
    onChecked: (event) => router.onChecked(event),
    recorded(intents) {
      if (intents.length === 0) return;
      worker.wake(Math.min(...intents.map((i) => i.notBefore ?? 0)));
    },
  };
}

/**
 * Sends every check result and state change to the store — each change with the alert intents it
 * raised, in one transaction; a failed change write is logged, never thrown.
 */
export function persistEngine(
  engine: Engine,
  sink: EventSink,
  logger: Logger,
  alerts?: AlertHooks,
): void {
  engine.on('checked', (event) => {
    sink.onChecked(event);
    alerts?.onChecked(event);
  });
  engine.on('change', (event) => {
    const intents = alerts?.onChange(event) ?? [];
    sink.recordChange(event, intents).then(
      () => alerts?.recorded(intents),
      (error: unknown) => {
        logger.error(
          { err: error, monitor: event.monitorId },
          `could not record the change of ${event.monitorId}`,
        );
      },
    );
  });
}

/** Publishes status changes and results to the live feed, and check runs to the metrics. */
export function publishEngine(engine: Engine, hub: LiveHub, metrics: Metrics): void {
  const publish = (monitorId: string): void => {
    const snapshot = engine.get(monitorId);
    if (snapshot !== undefined) hub.monitorChanged(summaryView(snapshot));
  };
  engine.on('change', ({ monitorId }) => publish(monitorId));
  engine.on('lifecycle', ({ monitorId }) => publish(monitorId));
  engine.on('checked', (event) => {
    const { result } = event;
    hub.resultArrived({
      id: event.monitorId,
      outcome: result.outcome,
      latencyMs: result.latencyMs,
      at: new Date(result.startedAt).toISOString(),
      message: result.message,
    });
    metrics.checked(event, engine.get(event.monitorId)?.config.kind ?? 'unknown');
  });
}

/** Logs transitions, lifecycle changes and crashes. */
export function logEngine(engine: Engine, logger: Logger): void {
  engine.on('change', ({ monitorId, change, cause }) =>
    logger.info(
      { monitor: monitorId, from: change.from, to: change.to, cause },
      `${monitorId}: ${change.from} → ${change.to}: ${change.reason}`,
    ),
  );
  engine.on('lifecycle', ({ monitorId, from, to, reason }) =>
    logger.info({ monitor: monitorId, from, to }, `${monitorId}: task ${from} → ${to} (${reason})`),
  );
  engine.on('crash', ({ monitorId, error }) =>
    logger.warn({ monitor: monitorId, err: error }, `${monitorId}: check crashed`),
  );
  engine.on('checked', ({ monitorId, result }) =>
    logger.debug(
      {
        monitor: monitorId,
        outcome: result.outcome,
        latencyMs: result.latencyMs,
        lagMs: result.lagMs,
      },
      result.message,
    ),
  );
}

/** A heartbeat checks its push monitor at once, instead of at its next planned run. */
export function runOnHeartbeat(engine: Engine, heartbeats: HeartbeatRegistry): void {
  heartbeats.onHeartbeat(({ monitorId }) => void engine.runNow(monitorId));
}
