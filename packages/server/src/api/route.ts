import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { badRequest, type FieldError } from './errors.js';

/** Who is asking, as the auth guard decided. */
export interface Principal {
  readonly kind: 'session' | 'token' | 'public' | 'anonymous';
  /** `write` may change things; `read` may only look; `none` may do neither. */
  readonly scope: 'read' | 'write' | 'none';
  readonly user?: string;
  readonly tokenId?: string;
}

/** Who may call a route: `public` anyone; `read`/`write` a session or token with that scope (or the public board for reads). */
export type Access = 'public' | 'read' | 'write';

/** What a handler receives. */
export interface RouteRequest<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal;
  readonly raw: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A route: its contract (zod schemas, used to validate and to write the OpenAPI document) and its handler. */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style path under the API prefix, e.g. `/monitors/:id`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** The 200 response body. */
  readonly response: z.ZodType<R>;
  /** Other documented responses, by status code. */
  readonly errors?: readonly number[];
  handler(request: RouteRequest<P, Q, B>): Promise<R> | R;
}

/** Declares a route with its types inferred from its schemas. */
export function route<P, Q, B, R>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}

function parse<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: string,
  errors: FieldError[],
): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    errors.push({ where: path === '' ? where : `${where}.${path}`, message: issue.message });
  }
  return undefined as T;
}

/**
 * Registers `routes` on `app` under `prefix`: validates params, query and body against their schemas
 * (every failing field named in one 400), asks `authorize` who the caller is, then runs the handler.
 */
export function registerRoutes(
  app: FastifyInstance,
  prefix: string,
  routes: readonly RouteSpec<never, never, never>[],
  authorize: (
    request: FastifyRequest,
    access: Access,
    method: string,
  ) => Principal | Promise<Principal>,
): void {
  for (const spec of routes as readonly RouteSpec[]) {
    app.route({
      method: spec.method,
      url: `${prefix}${spec.url}`,
      handler: async (request, reply) => {
        const principal = await authorize(request, spec.access, spec.method);
        const errors: FieldError[] = [];
        const params = parse(spec.params, request.params, 'params', errors);
        const query = parse(spec.query, request.query, 'query', errors);
        const body = parse(spec.body, request.body, 'body', errors);
        if (errors.length > 0)
          throw badRequest(
            `invalid request: ${errors.map((e) => `${e.where}: ${e.message}`).join('; ')}`,
            errors,
          );
        return spec.handler({ params, query, body, principal, raw: request, reply });
      },
    });
  }
}
