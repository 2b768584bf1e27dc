import { z } from 'zod';

/** `host`, `host:port`, or a `nats://` or `tls://` URL without credentials. */
const server = z.string().min(1).refine(isServer, {
  message:
    'must be host:port or a nats:// or tls:// URL without credentials (use user/password or token)',
});

/** A subject to publish to: dot-separated tokens, no wildcards, no whitespace. */
const subject = z
  .string()
  .min(1)
  .regex(/^[^\s.*>]+(\.[^\s.*>]+)*$/, {
    message:
      'must be a subject without wildcards (* or >), spaces or empty tokens, e.g. svc.health',
  });

const requestSchema = z
  .object({
    /** The subject a service answers on. */
    subject,
    /** What to send (default empty). */
    payload: z.string().default(''),
    /** Pass only when the reply contains this text. */
    expect: z.string().min(1).optional(),
  })
  .strict();

const roundTripSchema = z.object({ subject }).strict();

export const natsSchema = z
  .object({
    /** One server (`nats://host:4222`, `host:port`). */
    url: server.optional(),
    /** Servers of a cluster: the check passes if it can use any of them (tried in order). */
    servers: z.array(server).min(1).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    token: z.string().min(1).optional(),
    /** Request/reply: send to a subject, expect a reply (a responder must be listening). */
    request: requestSchema.optional(),
    /** Publish a unique payload to a subject and receive it back. */
    roundTrip: roundTripSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const issue = (message: string, path: string[] = []) =>
      ctx.addIssue({ code: 'custom', message, path });
    if ((config.url === undefined) === (config.servers === undefined))
      issue('set either url or servers');
    if (config.request !== undefined && config.roundTrip !== undefined)
      issue('set request or roundTrip, not both', ['roundTrip']);
    if (config.token !== undefined && config.user !== undefined)
      issue('set user/password or token, not both', ['token']);
    if (config.password !== undefined && config.user === undefined)
      issue('a password needs a user', ['password']);
  });

export type NatsCheckConfig = z.output<typeof natsSchema>;
export type NatsRequestConfig = z.output<typeof requestSchema>;
export type NatsRoundTripConfig = z.output<typeof roundTripSchema>;

function isServer(text: string): boolean {
  const withScheme = text.includes('://') ? text : `nats://${text}`;
  if (!URL.canParse(withScheme)) return false;
  const url = new URL(withScheme);
  return (
    (url.protocol === 'nats:' || url.protocol === 'tls:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** `host:port` of a configured server, for messages (4222 when it has no port). */
export function serverLabel(text: string): string {
  const url = new URL(text.includes('://') ? text : `nats://${text}`);
  return `${url.hostname}:${url.port === '' ? '4222' : url.port}`;
}
