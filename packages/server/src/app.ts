// The composition root: the one place that reads process.env and files, and builds the real clock, the
// store, the engine, the HTTP server and the rest. Everything else receives what it needs.
import { randomUUID } from 'node:crypto';
import { readFileSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, systemRandom } from '@vigil/resilience';
import { pino, type Logger } from 'pino';
import {
  AuthService,
  buildHttpServer,
  createMetrics,
  LiveHub,
  summaryView,
  type RouteSpec,
} from './api/index.js';
import { flagRoutes } from './api/routes/flags.js';
import { startAlerting } from './app-alerting.js';
import { serveDashboard } from './app-dashboard.js';
import {
  bindNotifiers,
  notifierTypes,
  notifyTest,
  type AlertRouter,
  type DeliveryWorker,
  type Notifier,
  type NotifyTestOutcome,
} from './alerting/index.js';
import { alertRoutes } from './api/routes/alerts.js';
import { historyRoutes } from './api/routes/history.js';
import { pushRoutes } from './api/routes/push.js';
import { checkKinds, type CheckDeps, type CheckResult } from './checks/index.js';
import {
  createHeartbeatRegistry,
  pushMonitors,
  type HeartbeatRegistry,
} from './checks/push/index.js';
import {
  ConfigError,
  isConfigError,
  loadConfig,
  watchConfigFile,
  type Config,
  type MonitorConfig,
} from './config/index.js';
import { checkOnce, createEngine, type Engine } from './engine/index.js';
import { flagsSectionChanged, openFlags, type FlagGates } from './flags/index.js';
import { createStore, migrateStore, type MigrateProgress, type Store } from './store/index.js';
import { alertHooks, logEngine, persistEngine, publishEngine, runOnHeartbeat } from './wiring.js';

/** Every notifier type, by its config `type`. */
const notifiers: Readonly<Record<string, Notifier>> = notifierTypes;

/** Reads and validates a config file; throws a `ConfigError` listing every problem. */
export async function loadConfigFile(
  path: string,
  types: Readonly<Record<string, Notifier>> = notifiers,
): Promise<Config> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `config file ${path} does not exist; pass the path of your vigil.yaml (see examples/vigil.yaml)`
        : `cannot read config file ${path}: ${(error as Error).message}`,
    );
  }
  return loadConfig(text, {
    file: path,
    dir: dirname(absolute),
    env: process.env,
    kinds: checkKinds,
    notifierTypes: types,
  });
}

/** Makes the config's push monitors the ones heartbeats are accepted for; token problems are config errors. */
function syncPush(heartbeats: HeartbeatRegistry, config: Config): void {
  try {
    heartbeats.sync(pushMonitors(config.monitors));
  } catch (error) {
    throw new ConfigError([{ path: 'monitors', message: (error as Error).message }], config.file);
  }
}

/** Runs every monitor's check once (`vigil check`), at most `concurrency` at a time, in config order. */
export async function checkAll(
  config: Config,
  only: readonly string[] = [],
  concurrency = 16,
): Promise<{ monitor: MonitorConfig; result: CheckResult }[]> {
  const monitors =
    only.length === 0 ? config.monitors : config.monitors.filter((m) => only.includes(m.id));
  const unknown = only.filter((id) => !config.monitors.some((m) => m.id === id));
  if (unknown.length > 0)
    throw new Error(
      `no monitor ${unknown.map((u) => `"${u}"`).join(', ')} in ${config.file ?? 'the config'}`,
    );
  const heartbeats = createHeartbeatRegistry({ clock: systemClock, secret: config.server.secret });
  syncPush(heartbeats, config);
  const deps: CheckDeps = { clock: systemClock, configDir: config.dir, heartbeats };
  const results = new Array<{ monitor: MonitorConfig; result: CheckResult }>(monitors.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < monitors.length; i = next++) {
      const monitor = monitors[i] as MonitorConfig;
      results[i] = { monitor, result: await checkOnce(monitor, checkKinds, deps) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, monitors.length) }, worker));
  return results;
}

/** A running Vigil: stop it to shut down cleanly. */
export interface RunningApp {
  readonly engine: Engine;
  readonly store: Store;
  readonly logger: Logger;
  readonly auth: AuthService;
  readonly heartbeats: HeartbeatRegistry;
  /** The gates of the config's `flag:` keys; absent without a `flags:` section. */
  readonly flags?: FlagGates;
  readonly alerts: { readonly router: AlertRouter; readonly worker: DeliveryWorker };
  /** Where the board and the API listen, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Options of {@link startApp}. */
export interface StartOptions {
  readonly configPath: string;
  /** Reload the config when the file changes. Default true. */
  readonly watch?: boolean;
  readonly logger?: Logger;
  /** Override `server.port` (0 picks a free port). */
  readonly port?: number;
  readonly host?: string;
  /** Notifier types besides the built-in ones (a plug-in, or a test receiver's). */
  readonly notifierTypes?: Readonly<Record<string, Notifier>>;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;
/** The built dashboard, when present (packages/web/dist). */
const webRoot = join(packageRoot, '..', 'web', 'dist');

function defaultLogger(): Logger {
  return pino({ level: process.env.VIGIL_LOG_LEVEL ?? 'info', base: null });
}

async function openStore(config: Config, logger: Logger): Promise<Store> {
  const store = await createStore(config.storage, {
    clock: systemClock,
    random: systemRandom,
    baseDir: config.dir,
    onError: (error) => logger.error({ err: error }, 'storage: a write failed (it is retried)'),
    onRetry: ({ attempt, delayMs, error }) =>
      logger.warn(
        `storage: cannot reach the database yet (attempt ${attempt}): ${(error as Error).message}; retrying in ${Math.round(delayMs)} ms`,
      ),
  });
  logger.info(
    { store: store.kind, location: store.location },
    `storage: ${store.kind} at ${store.location}`,
  );
  return store;
}

/**
 * Starts Vigil: opens the store, resumes every monitor from its persisted state, serves the board, the API
 * and the live feed, and hot-reloads the config file when it changes.
 */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const logger = options.logger ?? defaultLogger();
  const types = { ...notifiers, ...options.notifierTypes };
  const config = await loadConfigFile(options.configPath, types);
  const heartbeats = createHeartbeatRegistry({ clock: systemClock, secret: config.server.secret });
  syncPush(heartbeats, config);
  const store = await openStore(config, logger);
  await store.syncMonitors(config.monitors);
  const flags = await openFlags(config, {
    domain: `vigil-${randomUUID()}`, // one OpenFeature domain per server
    clock: systemClock,
    onError: (message, error) => logger.error({ err: error }, message),
  });
  const states = await store.loadStates();
  const engine = createEngine({
    kinds: checkKinds,
    deps: { configDir: config.dir, heartbeats },
    clock: systemClock,
    random: systemRandom,
    states,
    ...(flags === undefined ? {} : { flags: flags.gates }),
  });
  const { router, worker } = startAlerting(config, types, store, logger, flags?.gates);
  router.restore(states);
  logEngine(engine, logger);
  persistEngine(engine, store, logger, alertHooks(router, worker));
  await worker.start();
  runOnHeartbeat(engine, heartbeats);
  const hub = new LiveHub({ clock: systemClock, snapshot: () => engine.list().map(summaryView) });
  const metrics = createMetrics(engine, {
    storeQueueDepth: () => store.metrics().bufferedResults + store.metrics().pendingChanges,
    shedResults: () => store.metrics().shedResults,
  });
  publishEngine(engine, hub, metrics);

  const auth = new AuthService({
    store: store.auth,
    clock: systemClock,
    publicBoard: config.server.publicBoard,
    sessionTtlMs: config.server.sessionTtl,
  });
  await bootstrapAdmin(auth, logger);
  const reload = async (): Promise<{ added: string[]; changed: string[]; removed: string[] }> => {
    const next = await loadConfigFile(options.configPath, types);
    syncPush(heartbeats, next);
    await store.syncMonitors(next.monitors);
    if (flagsSectionChanged(config, next))
      logger.warn('flags: a changed `flags:` section takes effect at the next start');
    await flags?.gates.sync(next);
    worker.apply(bindNotifiers(next.notifiers, types));
    router.apply(next);
    return engine.apply(next);
  };
  const http = await buildHttpServer({
    engine,
    auth,
    hub,
    metrics,
    clock: systemClock,
    version,
    logger,
    secureCookies: config.server.secureCookies,
    publicMetrics: config.server.publicMetrics,
    reload,
    routes: [
      ...historyRoutes(engine, store, systemClock),
      ...alertRoutes(store.outbox),
      ...pushRoutes(heartbeats),
      ...flagRoutes(flags?.gates),
    ] as RouteSpec[],
    extend: serveDashboard(webRoot, logger),
  });
  // Ready the HTTP server (its plugins load on a quiet event loop), then start the monitors: with thousands
  // of them, their first runs would otherwise starve plugin loading past Fastify's plugin timeout.
  await http.ready();
  await engine.start(config);
  const address = await http.listen({
    host: options.host ?? config.server.host,
    port: options.port ?? config.server.port,
  });
  const url = address.replace('[::1]', 'localhost');
  logger.info(
    { monitors: config.monitors.length, groups: config.groups.length, url },
    `vigil started with ${config.file ?? 'config'}: board and API at ${url}`,
  );
  const setupToken = await auth.setupToken();
  if (setupToken !== undefined) {
    logger.warn(
      `no admin account yet: open ${url}/setup?token=${setupToken} to create one (or set VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD)`,
    );
  }
  const stopWatching =
    options.watch === false
      ? () => {}
      : watchConfigFile({
          dir: config.dir,
          fileName: basename(options.configPath),
          clock: systemClock,
          fs: {
            watchDir: (dir, onEvent) => {
              const watcher = watch(dir, (_event, name) => onEvent(name));
              return () => watcher.close();
            },
          },
          onChange: () => void applyReload(reload, logger),
        });
  return {
    engine,
    store,
    logger,
    auth,
    heartbeats,
    ...(flags === undefined ? {} : { flags: flags.gates }),
    alerts: { router, worker },
    url,
    async stop() {
      stopWatching();
      hub.close();
      await http.close();
      await engine.stop();
      router.close();
      await worker.close();
      await flags?.close();
      await store.close();
      logger.info('vigil stopped');
    },
  };
}

/** The alert router and the delivery worker of a running server (the worker is started by the caller). */
/**
 * `vigil notify test <id>`: sends a test message through one notifier of the config, now (not through
 * the outbox), within its timeout.
 */
export async function notifyTestCommand(
  configPath: string,
  notifierId: string,
  types: Readonly<Record<string, Notifier>> = notifiers,
): Promise<NotifyTestOutcome> {
  const config = await loadConfigFile(configPath, types);
  const bound = bindNotifiers(config.notifiers, types).get(notifierId);
  if (bound === undefined) {
    const known = config.notifiers.map((n) => n.id);
    throw new Error(
      `no notifier "${notifierId}" in ${config.file ?? configPath}; ${known.length === 0 ? 'it declares none (add one under notifiers:)' : `it has: ${known.join(', ')}`}`,
    );
  }
  return notifyTest(bound, systemClock, new AbortController().signal);
}

async function applyReload(
  reload: () => Promise<{ added: string[]; changed: string[]; removed: string[] }>,
  logger: Logger,
): Promise<void> {
  try {
    const diff = await reload();
    logger.info(
      diff,
      `config reloaded: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed`,
    );
  } catch (error) {
    if (isConfigError(error))
      logger.error(
        { problems: error.issues.length },
        `config reload rejected; keeping the running config\n${error.message}`,
      );
    else logger.error({ err: error }, 'config reload failed; keeping the running config');
  }
}

/** Creates the admin from VIGIL_ADMIN_USER / VIGIL_ADMIN_PASSWORD when there is no account yet. */
async function bootstrapAdmin(auth: AuthService, logger: Logger): Promise<void> {
  const username = process.env.VIGIL_ADMIN_USER;
  const password = process.env.VIGIL_ADMIN_PASSWORD;
  if (username === undefined || password === undefined || !(await auth.setupRequired())) return;
  await auth.createUser(username, password);
  logger.info(
    { user: username },
    'admin account created from VIGIL_ADMIN_USER / VIGIL_ADMIN_PASSWORD',
  );
}

/**
 * `vigil migrate-store`: copies the store of `configPath` into the store at `targetUrl` (a PostgreSQL URL
 * or a SQLite path), reporting progress; resumable.
 */
export async function migrateStoreCommand(
  configPath: string,
  target: string,
  onProgress: (progress: MigrateProgress) => void,
  signal?: AbortSignal,
): Promise<{ from: string; to: string; rows: number }> {
  const config = await loadConfigFile(configPath);
  const targetConfig = /^postgres(ql)?:\/\//.test(target)
    ? ({ type: 'postgres', url: target } as const)
    : ({ type: 'sqlite', path: resolve(target) } as const);
  const quiet = pino({ level: 'silent' });
  const from = await openStore(config, quiet);
  try {
    const to = await createStore(targetConfig, {
      clock: systemClock,
      baseDir: process.cwd(),
      pruneIntervalMs: null,
      ...(signal === undefined ? {} : { signal }),
    });
    try {
      const report = await migrateStore(from, to, {
        onProgress,
        ...(signal === undefined ? {} : { signal }),
      });
      return {
        from: from.location,
        to: to.location,
        rows: report.tables.reduce((n, t) => n + t.rows, 0),
      };
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
