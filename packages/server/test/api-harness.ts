// An API server over a real engine (scripted checks, FakeClock) for route tests through app.inject().
import { FakeClock, seededRandom } from '@vigil/resilience/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  AuthService,
  buildHttpServer,
  createMetrics,
  LiveHub,
  memoryAuthStore,
  type RouteSpec,
} from '../src/api/index.js';
import { loadConfig, type Config } from '../src/config/index.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { scriptedKind, type Script } from './scripted-kind.js';

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly clock: FakeClock;
  readonly auth: AuthService;
  readonly hub: LiveHub;
  readonly scripts: Script;
  /** What the next config reload reads (default: the starting config). */
  nextYaml: string;
  config(yaml: string): Config;
  /** A write-scope and a read-scope API token. */
  readonly tokens: { read: string; write: string };
  request(
    method: string,
    url: string,
    options?: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      cookies?: Record<string, string>;
    },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const MONITORS = `monitors:
  - { id: api, name: Public API, group: web, tags: [prod], interval: 10s, scripted: {} }
  - { id: db, name: Database, group: data, interval: 10s, failureThreshold: 1, scripted: {} }
  - { id: cache, group: data, interval: 10s, scripted: {} }
`;

export async function apiHarness(
  options: {
    publicBoard?: boolean;
    publicMetrics?: boolean;
    yaml?: string;
    routes?: readonly RouteSpec[];
  } = {},
): Promise<ApiHarness> {
  const clock = new FakeClock({ startWall: Date.UTC(2026, 0, 1) });
  const scripts: Script = new Map([['db', ['fail']]]);
  const kinds = { scripted: scriptedKind(scripts) };
  const config = (yaml: string): Config =>
    loadConfig(yaml, { file: 'vigil.yaml', dir: '.', env: {}, kinds });
  const engine = createEngine({
    kinds,
    deps: { configDir: '.', heartbeats: { last: () => undefined } },
    clock,
    random: seededRandom(1),
    spreadPerMonitorMs: 0,
  });
  await engine.start(config(options.yaml ?? MONITORS));
  await clock.advance(0);
  const auth = new AuthService({
    store: memoryAuthStore(),
    clock,
    publicBoard: options.publicBoard ?? false,
  });
  const hub = new LiveHub({ firstSeq: 0, clock, snapshot: () => [] });
  const holder = { yaml: options.yaml ?? MONITORS };
  const app = await buildHttpServer({
    engine,
    auth,
    hub,
    metrics: createMetrics(engine),
    clock,
    version: 'test',
    publicMetrics: options.publicMetrics ?? false,
    reload: () => engine.apply(config(holder.yaml)),
    ...(options.routes === undefined ? {} : { routes: options.routes }),
  });
  const read = (await auth.createToken('reader', 'read')).secret;
  const write = (await auth.createToken('writer', 'write')).secret;
  return {
    app,
    engine,
    clock,
    auth,
    hub,
    scripts,
    get nextYaml() {
      return holder.yaml;
    },
    set nextYaml(yaml: string) {
      holder.yaml = yaml;
    },
    config,
    tokens: { read, write },
    request: (method, url, o = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(o.token === undefined ? {} : { authorization: `Bearer ${o.token}` }),
          ...o.headers,
        },
        ...(o.cookies === undefined ? {} : { cookies: o.cookies }),
        ...(o.body === undefined ? {} : { payload: o.body as Record<string, unknown> }),
      }),
    async close() {
      hub.close();
      await app.close();
      await engine.stop();
    },
  };
}
