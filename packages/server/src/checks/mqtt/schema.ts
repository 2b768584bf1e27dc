import { z } from 'zod';

const protocols = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

/** TLS options (server certificate checks); TLS itself is on with `tls: true` or `mqtts://`/`wss://`. */
const tlsOptions = z
  .object({
    /** Verify the server's certificate chain and name (default true). */
    rejectUnauthorized: z.boolean().default(true),
    /** The name to verify the certificate against (default: the host). */
    servername: z.string().min(1).optional(),
  })
  .strict();

/** A topic to publish to: no wildcards, no NUL (MQTT 3.1.1 §4.7). */
const topicName = z
  .string()
  .min(1)
  .max(65_535)
  .refine((topic) => !/[+#\0]/.test(topic), {
    message: 'must be a topic name without the wildcards + and # (it is published to)',
  });

const roundTripSchema = z
  .object({
    /** The topic the check subscribes to and publishes its probe on; its own, ideally. */
    topic: topicName,
    /** QoS of the subscription and the publish (default 1: the broker acknowledges the publish). */
    qos: z.literal([0, 1, 2], { message: 'must be 0, 1 or 2' }).default(1),
  })
  .strict();

const mqttUrl = z.string().refine(isMqttUrl, {
  message: 'must be an mqtt://, mqtts://, ws:// or wss:// URL with a host, e.g. mqtt://broker:1883',
});

export const mqttSchema = z
  .object({
    /** `mqtt://host:port` (`mqtts://` for TLS, `ws://`/`wss://` for MQTT over WebSocket). */
    url: mqttUrl.optional(),
    host: z.string().min(1).optional(),
    /** Default 1883, or 8883 with TLS. */
    port: z.int().min(1).max(65535).optional(),
    /** TLS: `true`, or options; with a URL, TLS follows its scheme. */
    tls: z.union([z.boolean(), tlsOptions]).optional(),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** Default: `vigil-<monitor id>-<token>`, new for every run (`vigil-<token>` for MQTT 3.1). */
    clientId: z.string().min(1).max(256).optional(),
    /** 3 (MQTT 3.1), 4 (3.1.1, default) or 5 (5.0). */
    protocolVersion: z
      .literal([3, 4, 5], { message: 'must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)' })
      .default(4),
    /** Subscribe, publish a unique payload and pass when it comes back. */
    roundTrip: roundTripSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ((config.url === undefined) === (config.host === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set either url or host', path: [] });
    }
    if (config.password !== undefined && config.username === undefined && config.url === undefined)
      ctx.addIssue({ code: 'custom', message: 'a password needs a username', path: ['password'] });
    if (config.url === undefined) return;
    if (config.port !== undefined)
      ctx.addIssue({ code: 'custom', message: 'cannot be set beside url', path: ['port'] });
    if (config.tls !== undefined && !/^(mqtts|wss):/.test(config.url)) {
      ctx.addIssue({
        code: 'custom',
        message: 'TLS needs an mqtts:// or wss:// url',
        path: ['tls'],
      });
    }
  });

export type MqttCheckConfig = z.output<typeof mqttSchema>;
export type MqttRoundTripConfig = z.output<typeof roundTripSchema>;

function isMqttUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (protocols as readonly string[]).includes(url.protocol) && url.hostname !== '';
}
