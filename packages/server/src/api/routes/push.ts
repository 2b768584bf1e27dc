import { z } from 'zod';
import type { HeartbeatRegistry } from '../../checks/push/index.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

const input = z
  .object({
    status: z.string().max(20).optional().describe('up (default), down, degraded or pending'),
    msg: z.string().max(2000).optional(),
    ping: z
      .union([z.string().max(40), z.number()])
      .optional()
      .describe('a number the pusher measured'),
    value: z.union([z.string().max(40), z.number()]).optional(),
  })
  .strict();

const response = z.object({ ok: z.literal(true), monitor: z.string() });

/**
 * The heartbeat endpoint of `push` monitors (a dead-man's switch): `GET` or `POST /push/<token>` with
 * `status`, `msg` and `ping`/`value` in the query string (Uptime Kuma's push URL) or a JSON body. The
 * token authenticates: no session or API token is needed.
 */
export function pushRoutes(heartbeats: HeartbeatRegistry) {
  const record = (token: string, body: z.output<typeof input>) => {
    const result = heartbeats.record(token, {
      status: body.status,
      msg: body.msg,
      value: body.value ?? body.ping,
    });
    if (!result.ok) {
      throw result.code === 'UNKNOWN_TOKEN'
        ? new ApiError(404, 'NOT_FOUND', 'no push monitor has this token')
        : new ApiError(400, 'BAD_REQUEST', result.message, [
            { where: 'query', message: result.message },
          ]);
    }
    return { ok: true as const, monitor: result.monitorId };
  };
  const params = z.object({ token: z.string().min(1).max(200) });
  return [
    route({
      method: 'GET',
      url: '/push/:token',
      summary: 'Record a heartbeat of a push monitor (query: status, msg, ping)',
      tag: 'push',
      access: 'public',
      params,
      query: input,
      response,
      errors: [404],
      handler: ({ params: p, query }) => record(p.token, query),
    }),
    route({
      method: 'POST',
      url: '/push/:token',
      summary: 'Record a heartbeat of a push monitor (JSON body: status, msg, value)',
      tag: 'push',
      access: 'public',
      params,
      body: input.optional(),
      response,
      errors: [404],
      handler: ({ params: p, body }) => record(p.token, body ?? {}),
    }),
  ];
}
