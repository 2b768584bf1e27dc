import { z } from 'zod';
import { statuses, type Engine } from '../../engine/index.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';
import {
  detailView,
  groupSchema,
  groupView,
  monitorDetailSchema,
  monitorSummarySchema,
  summaryView,
} from '../views.js';

const idParams = z.object({ id: z.string().min(1).max(128) });

const listQuery = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(statuses)))
      .optional()
      .describe('comma-separated statuses, e.g. down,degraded'),
    group: z.string().optional(),
    tag: z.string().optional(),
    q: z.string().max(200).optional().describe('matches id or name, case-insensitive'),
  })
  .strict();

/** Read routes over the engine's monitors and groups. */
export function monitorRoutes(engine: Engine) {
  const find = (id: string) => {
    const snapshot = engine.get(id);
    if (snapshot === undefined) throw notFound(`monitor "${id}"`);
    return snapshot;
  };
  return [
    route({
      method: 'GET',
      url: '/monitors',
      summary: 'List monitors with their current status',
      tag: 'monitors',
      access: 'read',
      query: listQuery,
      response: z.array(monitorSummarySchema),
      handler: ({ query }) => {
        const q = query.q?.toLowerCase();
        return engine
          .list()
          .filter(
            ({ config, state }) =>
              (query.status === undefined || query.status.includes(state.status)) &&
              (query.group === undefined || config.group === query.group) &&
              (query.tag === undefined || config.tags.includes(query.tag)) &&
              (q === undefined ||
                config.id.toLowerCase().includes(q) ||
                config.name.toLowerCase().includes(q)),
          )
          .map(summaryView);
      },
    }),
    route({
      method: 'GET',
      url: '/monitors/:id',
      summary: 'One monitor in detail (config secrets masked)',
      tag: 'monitors',
      access: 'read',
      params: idParams,
      response: monitorDetailSchema,
      errors: [404],
      handler: ({ params }) => detailView(find(params.id), engine.config),
    }),
    route({
      method: 'GET',
      url: '/groups',
      summary: 'List groups, with who is on support',
      tag: 'monitors',
      access: 'read',
      response: z.array(groupSchema),
      handler: () => {
        const counts = new Map<string, number>();
        for (const { config } of engine.list())
          counts.set(config.group, (counts.get(config.group) ?? 0) + 1);
        return (engine.config?.groups ?? []).map((g) => groupView(g, counts.get(g.id) ?? 0));
      },
    }),
  ];
}

export { idParams };
