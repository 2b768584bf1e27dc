import type { Options } from 'amqplib';
import type { AmqpCheckConfig } from './schema.js';

/** Where and how to connect, resolved once from the config. */
export interface AmqpTarget {
  readonly connect: Options.Connect;
  /** Socket options for TLS (empty without it). */
  readonly tls: { readonly rejectUnauthorized?: boolean; readonly servername?: string };
  /** `host:port` for messages: never the URL, which may carry a password. */
  readonly label: string;
  readonly vhost: string;
  readonly username: string;
}

/** Resolves the config's URL or host fields into connection options with defaults applied. */
export function amqpTarget(config: AmqpCheckConfig): AmqpTarget {
  const fromUrl = config.url === undefined ? undefined : parseUrl(config.url);
  const tlsOn = fromUrl?.tls ?? (config.tls !== undefined && config.tls !== false);
  const host = fromUrl?.host ?? config.host ?? '';
  const port = fromUrl?.port ?? config.port ?? (tlsOn ? 5671 : 5672);
  const { username, password } = credentials(
    config.username ?? fromUrl?.username,
    config.password ?? fromUrl?.password,
  );
  const vhost = fromUrl?.vhost ?? config.vhost ?? '/';
  const tlsOptions = typeof config.tls === 'object' ? config.tls : {};
  return {
    connect: {
      protocol: tlsOn ? 'amqps' : 'amqp',
      hostname: host,
      port,
      username,
      password,
      vhost,
      // No heartbeat timer: the connection lives for one check.
      heartbeat: 0,
    },
    tls: tlsOn ? tlsOptions : {},
    label: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    vhost,
    username,
  };
}

/** amqplib's (and RabbitMQ's) convention: guest/guest when neither is given, else what is given. */
function credentials(username: string | undefined, password: string | undefined) {
  if (username === undefined && password === undefined)
    return { username: 'guest', password: 'guest' };
  return { username: username ?? '', password: password ?? '' };
}

interface UrlParts {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly vhost: string;
}

/** Splits an AMQP URI (as RabbitMQ defines it; query parameters are ignored). */
function parseUrl(text: string): UrlParts {
  const url = new URL(text);
  const path = url.pathname.replace(/^\//, '');
  return {
    tls: url.protocol === 'amqps:',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? undefined : Number(url.port),
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    vhost: path === '' ? '/' : decodeURIComponent(path),
  };
}
