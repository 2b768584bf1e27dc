import type { Clock } from '@vigil/resilience';
import { z } from 'zod';
import { statuses, type Engine } from '../../engine/index.js';
import type { StoreReader } from '../../store/index.js';
import { badRequest, notFound } from '../errors.js';
import { route } from '../route.js';
import { idParams } from './monitors.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Named windows the API accepts as `range`. */
export const ranges = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '90d': 90 * DAY,
  '1y': 365 * DAY,
} as const;
export type RangeName = keyof typeof ranges;
const rangeNames = Object.keys(ranges) as [RangeName, ...RangeName[]];

const windowQuery = z
  .object({
    range: z.enum(rangeNames).optional().describe('a named window ending now (default 24h)'),
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('start of a custom window (ISO 8601), with `to`'),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Resolves `range` or `from`/`to` to a window in wall ms. */
function windowOf(
  query: z.output<typeof windowQuery>,
  now: number,
  fallback: RangeName = '24h',
): { from: number; to: number } {
  if (query.from !== undefined || query.to !== undefined) {
    if (query.range !== undefined)
      throw badRequest('give either range or from/to, not both', [
        { where: 'query.range', message: 'not with from/to' },
      ]);
    if (query.from === undefined || query.to === undefined) {
      throw badRequest('a custom window needs both from and to', [
        {
          where: query.from === undefined ? 'query.from' : 'query.to',
          message: 'is required with the other',
        },
      ]);
    }
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(to > from))
      throw badRequest('to must be after from', [
        { where: 'query.to', message: 'must be after from' },
      ]);
    if (to - from > 400 * DAY)
      throw badRequest('a window is at most 400 days', [
        { where: 'query.from', message: 'window longer than 400 days' },
      ]);
    return { from, to };
  }
  return { from: now - ranges[query.range ?? fallback], to: now };
}

const latencyBrief = z
  .object({ avgMs: z.number(), minMs: z.number(), maxMs: z.number(), p95Ms: z.number() })
  .nullable();
const historySchema = z.union([
  z.object({
    tier: z.literal('raw'),
    from: z.number(),
    to: z.number(),
    results: z.array(
      z.object({
        at: z.number(),
        outcome: z.string(),
        latencyMs: z.number(),
        message: z.string(),
        value: z.number().optional(),
        phases: z.record(z.string(), z.number()).optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  }),
  z.object({
    tier: z.enum(['minute', 'hour', 'day']),
    from: z.number(),
    to: z.number(),
    stepMs: z.number(),
    buckets: z.array(
      z.object({
        start: z.number(),
        ok: z.number(),
        fail: z.number(),
        degraded: z.number(),
        pending: z.number(),
        latency: latencyBrief,
      }),
    ),
  }),
]);

const uptimeSchema = z.object({
  from: z.number(),
  to: z.number(),
  uptime: z
    .number()
    .nullable()
    .describe('fraction of observed time up (or degraded); null when nothing was observed'),
  upMs: z.number(),
  degradedMs: z.number(),
  downMs: z.number(),
  pendingMs: z.number(),
  maintenanceMs: z.number(),
  pausedMs: z.number(),
  observedMs: z.number(),
});

const incidentSchema = z.object({
  id: z.number(),
  monitorId: z.string(),
  from: z.enum(statuses),
  to: z.enum(statuses),
  cause: z.string(),
  reason: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  lastSeenAt: z.number().nullable(),
});

const incidentQuery = z
  .object({
    statuses: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(statuses)))
      .optional()
      .describe('comma-separated statuses of the periods to list (default down,degraded)'),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** History, uptime, latency, incidents and sparklines, read from the store. Times are epoch ms. */
export function historyRoutes(engine: Engine, store: StoreReader, clock: Clock) {
  const known = (id: string): void => {
    if (engine.get(id) === undefined) throw notFound(`monitor "${id}"`);
  };
  return [
    route({
      method: 'GET',
      url: '/monitors/:id/history',
      summary: 'Chart data: raw results for short windows, minute/hour/day rollups for longer ones',
      tag: 'history',
      access: 'read',
      params: idParams,
      query: windowQuery,
      response: historySchema,
      errors: [404],
      handler: async ({ params, query }) => {
        known(params.id);
        return (await store.history(params.id, windowOf(query, clock.now()))) as z.output<
          typeof historySchema
        >;
      },
    }),
    route({
      method: 'GET',
      url: '/monitors/:id/uptime',
      summary:
        'Time-weighted uptime over 24h, 7d, 30d, 90d and 1y (maintenance, paused and unobserved time excluded)',
      tag: 'history',
      access: 'read',
      params: idParams,
      response: z.object({
        '24h': uptimeSchema,
        '7d': uptimeSchema,
        '30d': uptimeSchema,
        '90d': uptimeSchema,
        '1y': uptimeSchema,
      }),
      errors: [404],
      handler: async ({ params }) => {
        known(params.id);
        const now = clock.now();
        const names = ['24h', '7d', '30d', '90d', '1y'] as const;
        const result = await store.uptime(
          params.id,
          names.map((n) => ({ from: now - ranges[n], to: now })),
        );
        return Object.fromEntries(names.map((n, i) => [n, result[i]])) as Record<
          (typeof names)[number],
          z.output<typeof uptimeSchema>
        >;
      },
    }),
    route({
      method: 'GET',
      url: '/monitors/:id/latency',
      summary: 'Latency percentiles (p50, p95, p99) over a window',
      tag: 'history',
      access: 'read',
      params: idParams,
      query: windowQuery,
      response: z.object({
        tier: z.string(),
        count: z.number(),
        minMs: z.number().nullable(),
        maxMs: z.number().nullable(),
        avgMs: z.number().nullable(),
        quantiles: z.array(z.object({ q: z.number(), ms: z.number().nullable() })),
      }),
      errors: [404],
      handler: async ({ params, query }) => {
        known(params.id);
        const summary = await store.latency(params.id, windowOf(query, clock.now()));
        return { ...summary, quantiles: [...summary.quantiles] };
      },
    }),
    route({
      method: 'GET',
      url: '/monitors/:id/incidents',
      summary: 'Status periods of one monitor, newest first, paged',
      tag: 'history',
      access: 'read',
      params: idParams,
      query: incidentQuery,
      response: z.object({ items: z.array(incidentSchema), next: z.string().nullable() }),
      errors: [404],
      handler: async ({ params, query }) => {
        known(params.id);
        const page = await store.incidents({ monitorId: params.id, ...pageQuery(query) });
        return { items: [...page.items], next: page.next };
      },
    }),
    route({
      method: 'GET',
      url: '/incidents',
      summary: 'Status periods of every monitor, newest first, paged',
      tag: 'history',
      access: 'read',
      query: incidentQuery,
      response: z.object({ items: z.array(incidentSchema), next: z.string().nullable() }),
      handler: async ({ query }) => {
        const page = await store.incidents(pageQuery(query));
        return { items: [...page.items], next: page.next };
      },
    }),
    route({
      method: 'GET',
      url: '/sparklines',
      summary: 'Sparklines of every monitor over a window, in one read',
      tag: 'history',
      access: 'read',
      query: z
        .object({
          range: z.enum(rangeNames).optional(),
          points: z.coerce.number().int().min(2).max(500).optional(),
        })
        .strict(),
      response: z.record(
        z.string(),
        z.array(
          z.object({
            start: z.number(),
            ok: z.number(),
            fail: z.number(),
            degraded: z.number(),
            pending: z.number(),
            avgLatencyMs: z.number().nullable(),
          }),
        ),
      ),
      handler: async ({ query }) => {
        const now = clock.now();
        const lines = await store.sparklines(
          { from: now - ranges[query.range ?? '24h'], to: now },
          query.points ?? 48,
        );
        return Object.fromEntries([...lines].map(([id, points]) => [id, [...points]]));
      },
    }),
  ];
}

function pageQuery(query: z.output<typeof incidentQuery>) {
  return {
    ...(query.statuses === undefined ? {} : { statuses: query.statuses }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  };
}
