import { readFileSync } from 'node:fs';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from '../packages/server/src/api/openapi.js';
import type { RouteSpec } from '../packages/server/src/api/route.js';
import { flagRoutes } from '../packages/server/src/api/routes/flags.js';
import { alertRoutes } from '../packages/server/src/api/routes/alerts.js';
import { historyRoutes } from '../packages/server/src/api/routes/history.js';
import { pushRoutes } from '../packages/server/src/api/routes/push.js';
import { createHeartbeatRegistry } from '../packages/server/src/checks/push/index.js';
import type { Outbox, StoreReader } from '../packages/server/src/store/index.js';
import { apiHarness, type ApiHarness } from '../packages/server/test/api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness();
});
afterAll(async () => {
  await h.close();
});

describe('docs/api.md', () => {
  it('mentions every route of the OpenAPI document, and every system path', async () => {
    const served = JSON.parse((await h.request('GET', '/api/v1/openapi.json')).body) as {
      paths: Record<string, unknown>;
    };
    const clock = new FakeClock();
    const extra = openapiDocument(
      [
        ...historyRoutes(h.engine, {} as StoreReader, clock),
        ...pushRoutes(createHeartbeatRegistry({ clock })),
        ...flagRoutes(undefined),
        ...alertRoutes({} as Outbox),
      ] as RouteSpec[],
      '/api/v1',
      'test',
    ) as { paths: Record<string, unknown> };
    const text = readFileSync('docs/api.md', 'utf8');
    const paths = [
      ...Object.keys(served.paths),
      ...Object.keys(extra.paths),
      '/healthz',
      '/readyz',
      '/metrics',
      '/api/v1/live',
    ];
    const missing = paths
      .map((p) => p.replace(/\{(\w+)\}/g, ':$1'))
      .filter((p) => !text.includes(p));
    expect(missing).toEqual([]);
  });
});
