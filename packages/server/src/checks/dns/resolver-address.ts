import { isIP } from 'node:net';

/** A resolver to query: `server` in the form `Resolver.setServers` takes, `label` for messages. */
export interface ResolverAddress {
  readonly server: string;
  readonly label: string;
}

const BRACKETED = /^\[([^\]]+)\](?::(\d+))?$/;
const IPV4_PORT = /^([\d.]+):(\d+)$/;

/**
 * Parses `host[:port]` where host is an IP address (`1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:53`).
 * Returns `undefined` for anything else: the system's DNS client cannot use a resolver by name.
 */
export function parseResolverAddress(text: string): ResolverAddress | undefined {
  const s = text.trim();
  if (isIP(s) !== 0) return { server: s, label: s };
  const bracketed = BRACKETED.exec(s);
  const [, host = '', port] = bracketed ?? IPV4_PORT.exec(s) ?? [];
  const family = isIP(host);
  if (family === 0 || (bracketed === null && family !== 4)) return undefined;
  if (port !== undefined && !isPort(port)) return undefined;
  const suffix = port === undefined ? '' : `:${port}`;
  const server = family === 6 ? `[${host}]${suffix}` : `${host}${suffix}`;
  return { server, label: server };
}

function isPort(text: string): boolean {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
