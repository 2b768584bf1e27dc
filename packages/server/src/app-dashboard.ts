// Part of the composition root (app.ts): serving the built dashboard.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Serves the built dashboard with an app-shell fallback for its client-side routes (/tv, /monitors/:id…).
 * Without a build the server still runs, and `/` says how to build the board.
 */
export function serveDashboard(webRoot: string, logger: Logger) {
  return async (app: FastifyInstance): Promise<void> => {
    if (!existsSync(join(webRoot, 'index.html'))) {
      logger.warn(
        `the dashboard is not built (no ${webRoot}/index.html): run "npm run build" (or "npm start") at the repository root; the API runs without it`,
      );
      app.get('/', (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            'Vigil is running, but its dashboard is not built.\nRun "npm run build" (or "npm start") at the repository root, then restart. The API is at /api/v1.\n',
          ),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: ['index.html'],
      // Our headers only (the plugin's default `public, max-age=0` would replace them).
      cacheControl: false,
      // Vite names assets by content hash: they never change, so browsers may keep them.
      setHeaders: (res, path) => {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    // Client-side routes (/tv, /monitors/:id) get the app shell; API paths keep their JSON 404.
    app.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/')) {
        reply.callNotFound();
        return;
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  };
}
