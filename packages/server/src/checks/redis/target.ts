import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisCheckConfig } from './schema.js';

/** Where and how to connect, resolved from a check's config. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls: false | TlsOptions;
  /** `host:port`, for messages. */
  readonly where: string;
}

/** Resolves `url` or host/port and reads the CA file (relative to the config's directory). */
export function redisTarget(config: RedisCheckConfig, configDir: string): RedisTarget {
  let host = config.host ?? '127.0.0.1';
  let port = config.port ?? 6379;
  let username = config.username;
  let password = config.password;
  let db = config.db ?? 0;
  let tls = config.tls !== false;
  if (config.url !== undefined) {
    const url = new URL(config.url);
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port === '' ? 6379 : Number(url.port);
    tls = tls || url.protocol === 'rediss:';
    if (url.username !== '') username ??= decodeURIComponent(url.username);
    if (url.password !== '') password ??= decodeURIComponent(url.password);
    const path = url.pathname.replace(/^\//, '');
    if (path !== '' && config.db === undefined) db = Number(path);
  }
  const options: {
    servername?: string | undefined;
    rejectUnauthorized?: boolean;
    ca?: string | undefined;
  } = typeof config.tls === 'object' ? config.tls : {};
  const tlsOptions: false | TlsOptions = tls
    ? {
        servername: options.servername ?? host,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        ...(options.ca === undefined ? {} : { ca: readFileSync(resolve(configDir, options.ca)) }),
      }
    : false;
  return {
    host,
    port,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    db: Number.isInteger(db) ? db : 0,
    tls: tlsOptions,
    where: `${host}:${port}`,
  };
}
