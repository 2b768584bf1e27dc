import { z } from 'zod';
import { outboxStatuses, type Outbox, type OutboxEntry } from '../../store/index.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';

const int = (what: string) => z.coerce.number().int().min(1).optional().describe(what);

const deliverySchema = z.object({
  id: z.number(),
  outboxId: z.number(),
  attempt: z.number().describe('1 for the first attempt'),
  at: z.number(),
  outcome: z.enum(['delivered', 'failed']),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
  detail: z.string().nullable().describe('e.g. `HTTP 503`'),
});

const alertSchema = z.object({
  id: z.number(),
  monitorId: z.string(),
  notifierId: z.string(),
  eventKind: z.string(),
  dedupKey: z.string(),
  status: z.enum(outboxStatuses),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
  payload: z.unknown().describe('the alert event, its rule and its group'),
});

function alertView(e: OutboxEntry): z.output<typeof alertSchema> {
  return {
    id: e.id,
    monitorId: e.monitorId,
    notifierId: e.notifierId,
    eventKind: e.eventKind,
    dedupKey: e.dedupKey,
    status: e.status,
    attempts: e.attempts,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    createdAt: e.createdAt,
    deliveredAt: e.deliveredAt,
    payload: e.payload,
  };
}

/** Routes of the alert outbox and its delivery log (reads only). */
export function alertRoutes(outbox: Outbox) {
  return [
    route({
      method: 'GET',
      url: '/alerts',
      summary: 'alerts in the outbox, oldest first, by status or monitor',
      tag: 'alerts',
      access: 'read',
      query: z
        .object({
          status: z.enum(outboxStatuses).optional(),
          monitor: z.string().min(1).optional(),
          after: int('the last id of the previous page'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        })
        .strict(),
      response: z.object({ items: z.array(alertSchema), next: z.number().nullable() }),
      async handler({ query }) {
        const rows = await outbox.list({
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.monitor === undefined ? {} : { monitorId: query.monitor }),
          ...(query.after === undefined ? {} : { afterId: query.after }),
          limit: query.limit,
        });
        return {
          items: rows.map(alertView),
          next: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/alerts/:id',
      summary: 'one alert with its delivery attempts',
      tag: 'alerts',
      access: 'read',
      params: z.object({ id: z.coerce.number().int().min(1) }),
      response: alertSchema.extend({ deliveries: z.array(deliverySchema) }),
      errors: [404],
      async handler({ params }) {
        const entry = await outbox.get(params.id);
        if (entry === undefined) throw notFound(`alert ${params.id}`);
        const deliveries = await outbox.deliveries({ outboxId: params.id, limit: 1000 });
        return { ...alertView(entry), deliveries };
      },
    }),
    route({
      method: 'GET',
      url: '/alerts/deliveries',
      summary: 'the delivery log: every attempt, newest first',
      tag: 'alerts',
      access: 'read',
      query: z
        .object({
          alert: int('only the attempts of this alert (outbox id)'),
          before: int('the last id of the previous page'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        })
        .strict(),
      response: z.object({ items: z.array(deliverySchema), next: z.number().nullable() }),
      async handler({ query }) {
        const items = await outbox.deliveries({
          ...(query.alert === undefined ? {} : { outboxId: query.alert }),
          ...(query.before === undefined ? {} : { beforeId: query.before }),
          limit: query.limit,
        });
        return {
          items,
          next: items.length === query.limit ? (items.at(-1)?.id ?? null) : null,
        };
      },
    }),
  ];
}
