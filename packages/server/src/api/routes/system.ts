import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';

/** Options of {@link registerSystemRoutes}. */
export interface SystemRoutesOptions {
  readonly metrics: Metrics;
  /** True once the engine runs and the store answers. */
  readonly ready: () => boolean | Promise<boolean>;
  readonly openapi: () => unknown;
  /** Answers 401/403 unless the caller may read; resolves when it may. */
  readonly canRead: (request: FastifyRequest) => Promise<void>;
}

/** `/healthz` (alive), `/readyz` (ready to serve), `/metrics` (Prometheus) and the OpenAPI document. */
export function registerSystemRoutes(
  app: FastifyInstance,
  prefix: string,
  options: SystemRoutesOptions,
): void {
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await options.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
  });
  app.get('/metrics', async (request, reply) => {
    await options.canRead(request);
    return reply
      .type(options.metrics.registry.contentType)
      .send(await options.metrics.registry.metrics());
  });
  app.get(`${prefix}/openapi.json`, () => options.openapi());
}
