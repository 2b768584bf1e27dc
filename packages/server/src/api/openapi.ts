import { z } from 'zod';
import type { RouteSpec } from './route.js';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ where: z.string(), message: z.string() })).optional(),
  }),
});

const describeStatus: Record<number, string> = {
  400: 'Invalid request: every failing field is listed',
  401: 'Not signed in',
  403: 'Signed in, but not allowed (scope, or CSRF token missing)',
  404: 'Not found',
  409: 'Conflict',
  429: 'Too many attempts; see Retry-After',
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' });
}

/** `/monitors/:id` → `/monitors/{id}` */
const openapiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

/** The OpenAPI 3.1 document of `routes`, generated from the same schemas that validate requests. */
export function openapiDocument(
  routes: readonly RouteSpec[],
  prefix: string,
  version: string,
): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = `${prefix}${openapiPath(spec.url)}`;
    const parameters = [...objectParams(spec.params, 'path'), ...objectParams(spec.query, 'query')];
    const responses: Record<string, unknown> = {
      200: {
        description: 'OK',
        content: { 'application/json': { schema: jsonSchema(spec.response) } },
      },
    };
    for (const status of [
      400,
      ...(spec.access === 'public' ? [] : [401, 403]),
      ...(spec.errors ?? []),
    ]) {
      responses[status] = {
        description: describeStatus[status] ?? 'Error',
        content: { 'application/json': { schema: jsonSchema(errorSchema) } },
      };
    }
    (paths[path] ??= {})[spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body) } },
            },
          }),
      responses,
      ...(spec.access === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil API', version },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (`vigil_…`) with read or write scope',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'vigil_session',
          description: 'A browser session; writes also need the X-CSRF-Token header',
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

function objectParams(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (schema === undefined) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}
