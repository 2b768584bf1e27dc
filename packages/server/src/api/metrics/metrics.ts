import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { statuses, type CheckedEvent, type Engine } from '../../engine/index.js';

/** Figures other parts report through `/metrics` (the store's writer, the alert worker). */
export interface MetricSources {
  /** Rows waiting to be written. */
  storeQueueDepth?(): number;
  /** Raw results dropped because the database fell behind. */
  shedResults?(): number;
}

/** The Prometheus metrics of one Vigil process, in a registry of its own. */
export interface Metrics {
  readonly registry: Registry;
  /** Records one check run. */
  checked(event: CheckedEvent, kind: string): void;
}

/** Creates the metrics registry: check runs are recorded as they happen, statuses are read at scrape time. */
export function createMetrics(engine: Engine, sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_process_' });
  const duration = new Histogram({
    name: 'vigil_check_duration_seconds',
    help: 'Check latency, from the check start',
    labelNames: ['kind', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const runs = new Counter({
    name: 'vigil_checks_total',
    help: 'Checks run',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'vigil_schedule_lag_seconds',
    help: 'How late checks start against their schedule (queueing for a slot included)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'vigil_monitor_status',
    help: 'Current status of each monitor (1 for its status)',
    labelNames: ['monitor', 'group', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { config, state } of engine.list())
        this.set({ monitor: config.id, group: config.group, status: state.status }, 1);
    },
  });
  new Gauge({
    name: 'vigil_monitors',
    help: 'Monitors by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<string, number>;
      for (const { state } of engine.list()) counts[state.status] = (counts[state.status] ?? 0) + 1;
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'vigil_checks_in_flight',
    help: 'Checks running now',
    registers: [registry],
    collect() {
      this.set(engine.load.running);
    },
  });
  new Gauge({
    name: 'vigil_checks_waiting',
    help: 'Checks waiting for a slot (maxConcurrentChecks)',
    registers: [registry],
    collect() {
      this.set(engine.load.waiting);
    },
  });
  new Gauge({
    name: 'vigil_store_queue_depth',
    help: 'Rows waiting to be written to the store',
    registers: [registry],
    collect() {
      this.set(sources.storeQueueDepth?.() ?? 0);
    },
  });
  new Gauge({
    name: 'vigil_store_shed_results',
    help: 'Raw results dropped because the database fell behind (state changes are never dropped)',
    registers: [registry],
    collect() {
      this.set(sources.shedResults?.() ?? 0);
    },
  });
  return {
    registry,
    checked(event, kind) {
      const { outcome, latencyMs, lagMs } = event.result;
      duration.observe({ kind, outcome }, latencyMs / 1000);
      runs.inc({ kind, outcome });
      lag.observe(lagMs / 1000);
    },
  };
}
