import { OpenFeature, TypedInMemoryProvider } from '@openfeature/server-sdk';
import { FakeClock, seededRandom } from '@vigil/resilience/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifierTypes } from '../../alerting/notifiers/registry.js';
import { loadConfig } from '../../config/index.js';
import { createEngine, type Engine } from '../../engine/index.js';
import { createFlagGates, type FlagGates } from '../../flags/index.js';
import { scriptedKind } from '../../../test/scripted-kind.js';
import { AuthService, memoryAuthStore } from '../auth/index.js';
import { LiveHub } from '../live/hub.js';
import { createMetrics } from '../metrics/metrics.js';
import { buildHttpServer } from '../server.js';
import { flagRoutes } from './flags.js';

const flag = (on: boolean) =>
  ({
    variants: { on: true, off: false },
    defaultVariant: on ? 'on' : 'off',
    disabled: false,
  }) as const;

const YAML = `flags: { path: flags.yaml }
groups:
  - { id: data, flag: group.data }
monitors:
  - { id: db, group: data, interval: 10s, flag: monitor.db, scripted: {} }
  - { id: cache, group: data, interval: 10s, scripted: {} }
  - { id: api, interval: 10s, scripted: {} }
notifiers:
  - { id: slack, type: slack, flag: notifier.slack, webhookUrl: "http://127.0.0.1:9/hook" }
`;

let app: FastifyInstance;
let engine: Engine;
let gates: FlagGates;
let token: string;

beforeAll(async () => {
  const clock = new FakeClock({ startWall: Date.UTC(2026, 0, 1) });
  const kinds = { scripted: scriptedKind(new Map()) };
  const config = loadConfig(YAML, { file: 'vigil.yaml', dir: '.', env: {}, kinds, notifierTypes });
  const provider = new TypedInMemoryProvider({
    'group.data': flag(true),
    'monitor.db': flag(false),
    'notifier.slack': flag(true),
  });
  await OpenFeature.setProviderAndWait('vigil-api-flags-test', provider);
  gates = createFlagGates({ client: OpenFeature.getClient('vigil-api-flags-test'), clock });
  await gates.start(config);
  engine = createEngine({
    kinds,
    deps: { configDir: '.', heartbeats: { last: () => undefined } },
    clock,
    random: seededRandom(1),
    spreadPerMonitorMs: 0,
    flags: gates,
  });
  await engine.start(config);
  const auth = new AuthService({ store: memoryAuthStore(), clock });
  app = await buildHttpServer({
    engine,
    auth,
    hub: new LiveHub({ clock, snapshot: () => [] }),
    metrics: createMetrics(engine),
    clock,
    version: 'test',
    reload: () => Promise.reject(new Error('no reload here')),
    routes: flagRoutes(gates),
  });
  token = (await auth.createToken('reader', 'read')).secret;
});

afterAll(async () => {
  await app.close();
  await engine.stop();
  await gates.stop();
});

const get = (url: string, auth = true) =>
  app.inject({
    method: 'GET',
    url,
    headers: auth ? { authorization: `Bearer ${token}` } : {},
  });

describe('GET /api/v1/flags', () => {
  it('lists every flag with its value, last evaluation and what it governs', async () => {
    const response = await get('/api/v1/flags');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        flag: 'group.data',
        on: true,
        evaluation: {
          fallback: false,
          reason: 'STATIC',
          variant: 'on',
          at: '2026-01-01T00:00:00.000Z',
        },
        monitors: ['cache', 'db'],
        groups: ['data'],
        notifiers: [],
      },
      {
        flag: 'monitor.db',
        on: false,
        evaluation: {
          fallback: false,
          reason: 'STATIC',
          variant: 'off',
          at: '2026-01-01T00:00:00.000Z',
        },
        monitors: ['db'],
        groups: [],
        notifiers: [],
      },
      {
        flag: 'notifier.slack',
        on: true,
        evaluation: {
          fallback: false,
          reason: 'STATIC',
          variant: 'on',
          at: '2026-01-01T00:00:00.000Z',
        },
        monitors: [],
        groups: [],
        notifiers: ['slack'],
      },
    ]);
  });

  it('filters by value, and shows one flag', async () => {
    const off = await get('/api/v1/flags?on=false');
    expect(off.json<{ flag: string }[]>().map((f) => f.flag)).toEqual(['monitor.db']);
    const one = await get('/api/v1/flags/notifier.slack');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ flag: 'notifier.slack', on: true, notifiers: ['slack'] });
  });

  it('shows the disabling flag on the monitor', async () => {
    const response = await get('/api/v1/monitors/db');
    expect(response.json()).toMatchObject({
      status: 'paused',
      lifecycle: 'disabled',
      reason: 'flag "monitor.db" is off',
      flag: 'monitor.db',
      flagOff: 'monitor.db',
    });
  });

  it('answers 400 for a bad filter, 404 for a flag no flag: key names, 401 without credentials', async () => {
    const bad = await get('/api/v1/flags?on=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', fields: [{ where: 'query.on' }] },
    });
    const unknown = await get('/api/v1/flags/no-such-flag');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('"no-such-flag"') as string },
    });
    expect((await get('/api/v1/flags', false)).statusCode).toBe(401);
  });

  it('is documented in the OpenAPI document, and lists nothing without a flags: section', async () => {
    const doc = (await get('/api/v1/openapi.json')).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/flags', '/api/v1/flags/{flag}']),
    );
    const [list] = flagRoutes(undefined);
    expect(await list?.handler({ query: {} } as never)).toEqual([]);
  });
});
