// The composition root: the one place that reads process.env, argv-derived options and files, and builds
// the real clock, the engine and (as they land) the store, alerting and the HTTP server.
import { existsSync, readFileSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { systemClock, systemRandom } from '@vigil/resilience';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import {
  AuthService,
  buildHttpServer,
  createMetrics,
  LiveHub,
  memoryAuthStore,
  summaryView,
} from './api/index.js';
import { checkKinds, type CheckDeps, type CheckResult, type Heartbeat } from './checks/index.js';
import {
  isConfigError,
  loadConfig,
  watchConfigFile,
  type Config,
  type MonitorConfig,
} from './config/index.js';
import { checkOnce, createEngine, type Engine } from './engine/index.js';

/** Reads and validates a config file; throws a `ConfigError` listing every problem. */
export async function loadConfigFile(path: string): Promise<Config> {
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
  });
}

/** Heartbeats pushed to this process, by monitor id. */
function heartbeatStore(): CheckDeps['heartbeats'] & {
  record(monitorId: string, heartbeat: Heartbeat): void;
} {
  const last = new Map<string, Heartbeat>();
  return { last: (id) => last.get(id), record: (id, hb) => void last.set(id, hb) };
}

function deps(config: Config): CheckDeps {
  return { clock: systemClock, configDir: config.dir, heartbeats: heartbeatStore() };
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
  const d = deps(config);
  const results = new Array<{ monitor: MonitorConfig; result: CheckResult }>(monitors.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < monitors.length; i = next++) {
      const monitor = monitors[i] as MonitorConfig;
      results[i] = { monitor, result: await checkOnce(monitor, checkKinds, d) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, monitors.length) }, worker));
  return results;
}

/** A running Vigil: stop it to shut down cleanly. */
export interface RunningApp {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly auth: AuthService;
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
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;
/** The built dashboard, when present (packages/web/dist). */
const webRoot = join(packageRoot, '..', 'web', 'dist');

async function serveDashboard(app: FastifyInstance): Promise<void> {
  if (!existsSync(join(webRoot, 'index.html'))) return;
  await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  // Client-side routes (/tv, /monitors/:id) get the app shell; API paths keep their JSON 404.
  app.get('/*', (request, reply) => {
    if (request.url.startsWith('/api/')) {
      reply.callNotFound();
      return;
    }
    return reply.sendFile('index.html');
  });
}

/** Starts the engine on a config file, logs transitions, and hot-reloads the file when it changes. */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const logger =
    options.logger ?? pino({ level: process.env.VIGIL_LOG_LEVEL ?? 'info', base: null });
  const config = await loadConfigFile(options.configPath);
  const engine = createEngine({
    kinds: checkKinds,
    deps: { configDir: config.dir, heartbeats: heartbeatStore() },
    clock: systemClock,
    random: systemRandom,
  });
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
  await engine.start(config);
  const auth = new AuthService({
    store: memoryAuthStore(),
    clock: systemClock,
    publicBoard: config.server.publicBoard,
    sessionTtlMs: config.server.sessionTtl,
  });
  await bootstrapAdmin(auth, logger);
  const hub = new LiveHub({ clock: systemClock, snapshot: () => engine.list().map(summaryView) });
  const publish = (monitorId: string): void => {
    const snapshot = engine.get(monitorId);
    if (snapshot !== undefined) hub.monitorChanged(summaryView(snapshot));
  };
  engine.on('change', ({ monitorId }) => publish(monitorId));
  engine.on('lifecycle', ({ monitorId }) => publish(monitorId));
  const metrics = createMetrics(engine);
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
    reload: async () => engine.apply(await loadConfigFile(options.configPath)),
    extend: serveDashboard,
  });
  const host = options.host ?? config.server.host;
  const address = await http.listen({ host, port: options.port ?? config.server.port });
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
            watchDir: (dir, onEvent) => closeable(watch(dir, (_event, name) => onEvent(name))),
          },
          onChange: () => void reload(options.configPath, engine, logger),
        });
  return {
    engine,
    logger,
    auth,
    url,
    async stop() {
      stopWatching();
      hub.close();
      await http.close();
      await engine.stop();
      logger.info('vigil stopped');
    },
  };
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

function closeable(watcher: { close(): void }): () => void {
  return () => watcher.close();
}

async function reload(path: string, engine: Engine, logger: Logger): Promise<void> {
  try {
    const next = await loadConfigFile(path);
    const diff = await engine.apply(next);
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
