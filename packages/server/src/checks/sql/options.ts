import { z } from 'zod';

/** How a check secures its connection: `off` (plain), `require` (TLS, certificate not verified), `verify-full`. */
export const sslModes = ['off', 'require', 'verify-full'] as const;
export type SslMode = (typeof sslModes)[number];

/** Where a SQL check connects, as given by `url` or by the separate fields. */
export interface SqlEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database?: string;
}

/** What a SQL kind's schema needs to know about its protocol. */
export interface SqlSchemaOptions {
  /** URL schemes accepted for `url`, without `:`, e.g. `['postgres', 'postgresql']`. */
  readonly schemes: readonly string[];
  readonly defaultPort: number;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const fields = {
  /** `scheme://user:password@host:port/database`; instead of host/port/user/database. */
  url: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: z.int().min(1).max(65535).optional(),
  user: z.string().min(1).optional(),
  /** May be set with `url` too, e.g. from `${ENV}`, so it needs no URL escaping. */
  password: z.string().optional(),
  database: z.string().min(1).optional(),
  ssl: z.enum(sslModes).default('off'),
  /** PEM file of the CA that signed the server's certificate, relative to the config's directory. */
  ca: z.string().min(1).optional(),
  query: z.string().trim().min(1).default('SELECT 1'),
  /** The first column of the first row must equal this (compared across types: 1 = '1', true = 't'). */
  expect: scalar.optional(),
  /** The first column of the first row must be a number ≥ min. */
  min: z.number().optional(),
  /** The first column of the first row must be a number ≤ max. */
  max: z.number().optional(),
};

/**
 * The config schema shared by SQL kinds: either `url` or `host` (+ `port`, `user`, `password`,
 * `database`), `ssl` with an optional `ca`, `query`, and an expectation (`expect`, or `min`/`max`).
 * Messages never repeat the URL: it may hold a password.
 */
export function sqlCheckSchema(options: SqlSchemaOptions) {
  return z
    .object(fields)
    .strict()
    .superRefine((config, ctx) => {
      const issue = (path: string, message: string): void => {
        ctx.addIssue({ code: 'custom', path: path === '' ? [] : [path], message });
      };
      if (config.url === undefined) {
        if (config.host === undefined) issue('', `set url, or host and user`);
        else if (config.user === undefined) issue('user', 'is required with host');
      } else {
        for (const key of ['host', 'port', 'user', 'database'] as const)
          if (config[key] !== undefined)
            issue(key, 'cannot be combined with url; set one or the other');
        const problem = urlProblem(config.url, options.schemes);
        if (problem !== undefined) issue('url', problem);
      }
      if (config.ca !== undefined && config.ssl !== 'verify-full')
        issue('ca', 'is only used with ssl: verify-full');
      const bounded = config.min !== undefined || config.max !== undefined;
      if (config.expect !== undefined && bounded)
        issue('expect', 'cannot be combined with min/max; use one or the other');
      if (config.min !== undefined && config.max !== undefined && config.min > config.max)
        issue('max', `must be at least min (${config.min})`);
    });
}

/** A validated SQL check config (the `postgres` or `mysql` section of a monitor). */
export type SqlCheckConfig = z.output<ReturnType<typeof sqlCheckSchema>>;

/** Why `text` is not a usable connection URL, or `undefined`. Never quotes the URL (it may hold a password). */
function urlProblem(text: string, schemes: readonly string[]): string | undefined {
  const form = `${schemes[0] ?? ''}://user:password@host:port/database`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `is not a URL; write ${form}`;
  }
  if (!schemes.includes(url.protocol.slice(0, -1)))
    return `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`;
  if (url.hostname === '') return `has no host; write ${form}`;
  if (url.username === '') return `has no user name; write ${form}`;
  if (url.pathname.replace(/^\//, '').includes('/')) return `has more than a database in its path`;
  if (url.search !== '' || url.hash !== '') {
    const names = [...url.searchParams.keys()].join(', ');
    return `cannot carry parameters${names === '' ? '' : ` (${names})`}; use the check's options, e.g. ssl`;
  }
  return undefined;
}

/** The endpoint of a validated config, with defaults applied. */
export function sqlEndpoint(config: SqlCheckConfig, defaultPort: number): SqlEndpoint {
  if (config.url === undefined)
    return {
      host: config.host ?? '',
      port: config.port ?? defaultPort,
      user: config.user ?? '',
      password: config.password ?? '',
      ...(config.database === undefined ? {} : { database: config.database }),
    };
  const url = new URL(config.url);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? defaultPort : Number(url.port),
    user: decodeURIComponent(url.username),
    password: config.password ?? decodeURIComponent(url.password),
    ...(database === '' ? {} : { database }),
  };
}
