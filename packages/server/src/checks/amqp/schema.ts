import { z } from 'zod';

/** TLS options (server certificate checks); the connection itself uses TLS by `tls: true` or `amqps://`. */
const tlsOptions = z
  .object({
    /** Verify the server's certificate chain and name (default true). */
    rejectUnauthorized: z.boolean().default(true),
    /** The name to verify the certificate against (default: the host). */
    servername: z.string().min(1).optional(),
  })
  .strict();

const queueSchema = z
  .object({
    /** The queue to inspect. */
    name: z.string().min(1).max(255),
    /**
     * false (default): the queue must exist (a passive declare that never creates or changes it).
     * true: a missing queue is created, non-durable and auto-delete; an existing one is never redeclared.
     */
    declare: z.boolean().default(false),
    /** Fail (or `severity`) when the queue holds more ready messages than this. */
    maxMessages: z.int().min(0).optional(),
    /** Fail (or `severity`) when the queue has fewer consumers than this. */
    minConsumers: z.int().min(0).optional(),
    /** What a breached `maxMessages`/`minConsumers` reports: `fail` (default) or `degraded`. */
    severity: z.enum(['fail', 'degraded']).default('fail'),
  })
  .strict();

const amqpUrl = z.string().refine(isAmqpUrl, {
  message:
    'must be an amqp:// or amqps:// URL with a host, e.g. amqp://user:pass@rabbit:5672/vhost',
});

/** Keys that the URL already carries and that may not be given beside it. */
const urlParts = ['host', 'port', 'vhost'] as const;

export const amqpSchema = z
  .object({
    /** `amqp://user:pass@host:port/vhost` (`amqps://` for TLS); or give host, port… separately. */
    url: amqpUrl.optional(),
    host: z.string().min(1).optional(),
    /** Default 5672, or 5671 with TLS. */
    port: z.int().min(1).max(65535).optional(),
    /** Default `guest` (as in amqplib and RabbitMQ) unless the URL has one. */
    username: z.string().min(1).optional(),
    /** Default `guest` unless the URL has one. */
    password: z.string().optional(),
    /** Default `/`. */
    vhost: z.string().min(1).optional(),
    /** TLS: `true`, or options; with a URL, TLS follows its scheme (`amqps://`). */
    tls: z.union([z.boolean(), tlsOptions]).optional(),
    /** Inspect one queue: it must exist, and optionally limits on its depth and consumers. */
    queue: queueSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ((config.url === undefined) === (config.host === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set either url or host', path: [] });
    }
    if (config.url === undefined) return;
    for (const key of urlParts) {
      if (config[key] !== undefined)
        ctx.addIssue({ code: 'custom', message: 'cannot be set beside url', path: [key] });
    }
    if (config.tls !== undefined && !config.url.startsWith('amqps:')) {
      ctx.addIssue({ code: 'custom', message: 'TLS needs an amqps:// url', path: ['tls'] });
    }
  });

export type AmqpCheckConfig = z.output<typeof amqpSchema>;
export type AmqpQueueConfig = z.output<typeof queueSchema>;

function isAmqpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'amqp:' || url.protocol === 'amqps:') && url.hostname !== '';
}
