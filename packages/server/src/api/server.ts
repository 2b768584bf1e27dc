import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { Clock } from '@vigil/resilience';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isConfigError } from '../config/index.js';
import type { Engine } from '../engine/index.js';
import { safeEqual, type AuthService } from './auth/index.js';
import { ApiError, errorBody, forbidden, unauthorized } from './errors.js';
import type { LiveHub } from './live/hub.js';
import { registerLiveRoute } from './live/ws-route.js';
import type { Metrics } from './metrics/metrics.js';
import { openapiDocument } from './openapi.js';
import { registerRoutes, type Access, type Principal, type RouteSpec } from './route.js';
import { authRoutes, SESSION_COOKIE, type SecureCookies } from './routes/auth.js';
import { controlRoutes, type ReloadConfig } from './routes/control.js';
import { monitorRoutes } from './routes/monitors.js';
import { registerSystemRoutes } from './routes/system.js';

export const API_PREFIX = '/api/v1';

/** Everything the HTTP server serves from; built by the composition root. */
export interface HttpServerOptions {
  readonly engine: Engine;
  readonly auth: AuthService;
  readonly hub: LiveHub;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly reload: ReloadConfig;
  readonly version: string;
  readonly logger?: Logger;
  readonly secureCookies?: SecureCookies;
  /** Serve `/metrics` without credentials (Prometheus on a trusted network). Default false. */
  readonly publicMetrics?: boolean;
  /** More routes (history, push, alerting…), registered under the API prefix. */
  readonly routes?: readonly RouteSpec[];
  readonly ready?: () => boolean | Promise<boolean>;
  /** Extra setup (static files) before the server is ready. */
  readonly extend?: (app: FastifyInstance) => Promise<void>;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw unauthorized('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * Builds the Fastify app: the REST API under /api/v1 (schemas validated, an OpenAPI document), the live
 * WebSocket, auth, /metrics, /healthz and /readyz. Client mistakes answer 4xx with every problem named;
 * only real faults answer 500.
 */
export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined
      ? {}
      : { loggerInstance: options.logger.child({ component: 'http' }) }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1 << 20,
  }) as unknown as FastifyInstance;
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const { auth } = options;
  const authorize = async (
    request: FastifyRequest,
    access: Access,
    method: string,
  ): Promise<Principal> => {
    let principal;
    try {
      const token = bearer(request);
      const sessionId = request.cookies[SESSION_COOKIE];
      principal = await auth.authenticate({
        ...(token === undefined ? {} : { bearer: token }),
        ...(sessionId === undefined ? {} : { sessionId }),
      });
    } catch (error) {
      if (access === 'public') return { kind: 'anonymous', scope: 'none' };
      throw error;
    }
    if (access === 'public') return principal;
    if (principal.kind === 'anonymous') throw unauthorized();
    if (access === 'write') {
      if (principal.scope !== 'write') {
        throw forbidden(
          principal.kind === 'public'
            ? 'the public board is read-only; sign in to change things'
            : 'this API token has read scope; use a token with write scope',
        );
      }
      const unsafe = method !== 'GET' && method !== 'HEAD';
      const header = request.headers['x-csrf-token'];
      if (
        principal.kind === 'session' &&
        unsafe &&
        (typeof header !== 'string' ||
          principal.csrf === undefined ||
          !safeEqual(header, principal.csrf))
      ) {
        throw forbidden(
          'missing or wrong X-CSRF-Token header (send the value of the vigil_csrf cookie)',
        );
      }
    }
    return principal;
  };
  const canRead = async (request: FastifyRequest): Promise<void> => {
    await authorize(request, 'read', 'GET');
  };

  const routes: RouteSpec[] = [
    ...(monitorRoutes(options.engine) as RouteSpec[]),
    ...(controlRoutes(options.engine, options.reload) as RouteSpec[]),
    ...(authRoutes(auth, options.secureCookies ?? 'auto') as RouteSpec[]),
    ...(options.routes ?? []),
  ];
  registerRoutes(app, API_PREFIX, routes as RouteSpec<never, never, never>[], authorize);
  const openapi = openapiDocument(routes, API_PREFIX, options.version);
  registerSystemRoutes(app, API_PREFIX, {
    metrics: options.metrics,
    ready: options.ready ?? (() => true),
    openapi: () => openapi,
    canRead: options.publicMetrics === true ? () => Promise.resolve() : canRead,
  });
  registerLiveRoute(app, API_PREFIX, { hub: options.hub, clock: options.clock, canRead });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      return reply
        .code(error.statusCode)
        .headers(error.headers ?? {})
        .send(errorBody(error));
    }
    if (isConfigError(error)) {
      const fields = error.issues.map((i) => ({
        where: i.path,
        message: `${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`,
      }));
      return reply
        .code(422)
        .send(errorBody(new ApiError(422, 'CONFIG_INVALID', error.message, fields)));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send(
          errorBody(
            new ApiError(
              status,
              (error as { code?: string }).code ?? 'BAD_REQUEST',
              (error as Error).message,
            ),
          ),
        );
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(errorBody(new ApiError(500, 'INTERNAL', 'internal error; see the server log')));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          new ApiError(
            404,
            'NOT_FOUND',
            `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
          ),
        ),
      ),
  );
  await options.extend?.(app);
  return app;
}
