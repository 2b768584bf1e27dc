/** Option checks shared by the connection, the pool and the Redis client; each throws naming the option. */

/** A duration in ms: a number ≥ 0 (or > 0 with `positive`), `Infinity` allowed; never NaN. */
export function checkMs(where: string, option: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(
      `${where}: ${option} must be a number of ms ${positive ? '> 0' : '>= 0'} (Infinity for none), got ${describe(value)}`,
    );
  }
  return value;
}

/** A count: an integer ≥ `min`, or `Infinity` when `allowInfinity`. */
export function checkCount(
  where: string,
  option: string,
  value: unknown,
  min: number,
  allowInfinity = false,
): number {
  const ok =
    typeof value === 'number' &&
    value >= min &&
    (Number.isInteger(value) || (allowInfinity && value === Infinity));
  if (!ok) {
    throw new RangeError(
      `${where}: ${option} must be an integer >= ${min}${allowInfinity ? ' (or Infinity)' : ''}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A TCP port: an integer in 1..65535. */
export function checkPort(where: string, value: unknown): number {
  if (value === undefined) {
    throw new TypeError(`${where}: port is required (the TCP port of the service, 1..65535)`);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new RangeError(`${where}: port must be an integer in 1..65535, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string. */
export function checkString(where: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${where}: ${option} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** A function, when given. */
export function checkFunction(where: string, option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`${where}: ${option} must be a function, got ${describe(value)}`);
  }
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  return typeof value;
}
