import { StoreOpenError, StoreUnavailableError } from '../errors/index.js';

/** Network and server states worth retrying: refused, unreachable, reset, starting up, shutting down. */
const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '40001',
  '40P01',
]);

const fatal: Readonly<Record<string, string>> = {
  '28P01': 'the password was refused; check the user and password in storage.url',
  '28000': 'the server refused this user; check storage.url and pg_hba.conf',
  '3D000': 'the database does not exist; create it (createdb) or fix storage.url',
  '53100': 'the server is out of disk space; free space on it',
  ENOTFOUND: 'the host name does not resolve; check storage.url',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A clear, typed error naming the server for an error `pg` raised. */
export function describePostgresError(error: unknown, location: string, doing: string): Error {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const timedOut = /timeout|timed out|Connection terminated/i.test(message);
  if (
    (code !== undefined && transientCodes.has(code)) ||
    code?.startsWith('08') === true ||
    timedOut
  )
    return new StoreUnavailableError(
      `PostgreSQL at ${location} is unavailable while ${doing} (${code ?? 'no answer'}: ${message}); is the server running and reachable?`,
      location,
      { cause: error },
    );
  const hint = code === undefined ? undefined : fatal[code];
  if (hint !== undefined)
    return new StoreOpenError(
      `PostgreSQL at ${location}: ${hint} (${code} while ${doing}: ${message})`,
      location,
      {
        cause: error,
      },
    );
  return error instanceof Error ? error : new Error(message);
}
