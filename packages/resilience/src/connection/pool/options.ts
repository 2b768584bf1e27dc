import { systemClock, type Clock } from '../../clock/index.js';
import { hasErrorCode } from '../../errors/index.js';
import { checkCount, checkFunction, checkMs, checkString } from '../validate.js';

/** Options of {@link createPool}. */
export interface PoolOptions<T> {
  /** Named in errors and events. Default `pool`. */
  readonly id?: string;
  /** Makes a new resource (a connection, say). A rejection fails the oldest waiting `acquire`. */
  readonly create: () => T | Promise<T>;
  /** Disposes of a resource (evicted, failed validation, destroyed, pool closed). Errors go to `error` events. */
  readonly destroy?: (resource: T) => void | Promise<void>;
  /** Checked when an idle resource is borrowed (not a fresh one); false (or a throw) destroys it and tries the next. */
  readonly validate?: (resource: T) => boolean | Promise<boolean>;
  /** Resources kept even when idle; created at once and after every loss. Default 0. */
  readonly min?: number;
  /** Most resources at once, borrowed or idle. Default 10. */
  readonly max?: number;
  /** How long `acquire` waits before `ACQUIRE_TIMEOUT`. Default 10,000 ms (`Infinity`: forever). */
  readonly acquireTimeoutMs?: number;
  /** An idle resource past `min` is destroyed after this long. Default 30,000 ms (`Infinity`: never). */
  readonly idleTimeoutMs?: number;
  /** Whether an error thrown inside `use(fn)` means the resource is broken (destroyed, not returned). Default {@link isConnectionError}. */
  readonly isFatal?: (error: unknown) => boolean;
  /** Default the system clock. */
  readonly clock?: Clock;
}

export interface ResolvedPoolOptions<T> {
  readonly id: string;
  readonly create: () => T | Promise<T>;
  readonly destroy: (resource: T) => void | Promise<void>;
  readonly validate: ((resource: T) => boolean | Promise<boolean>) | undefined;
  readonly min: number;
  readonly max: number;
  readonly acquireTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly isFatal: (error: unknown) => boolean;
  readonly clock: Clock;
}

const FATAL_CODES = ['CONNECTION_LOST', 'CONNECTION_CLOSED', 'PROTOCOL_ERROR', 'CONNECT_FAILED'];
const FATAL_ERRNOS = [
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTCONN',
  'ECONNABORTED',
];

/**
 * True for errors that mean a connection is broken: Vigil's `CONNECTION_LOST`, `CONNECTION_CLOSED`,
 * `PROTOCOL_ERROR`, `CONNECT_FAILED`, and Node's socket errors (`ECONNRESET`, `EPIPE`, …).
 */
export function isConnectionError(error: unknown): boolean {
  if (FATAL_CODES.some((code) => hasErrorCode(error, code))) return true;
  const errno = (error as { code?: unknown } | null)?.code;
  return typeof errno === 'string' && FATAL_ERRNOS.includes(errno);
}

export function resolvePoolOptions<T>(options: PoolOptions<T>): ResolvedPoolOptions<T> {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TypeError('createPool: options must be an object with at least create');
  }
  const id = checkString('createPool', 'id', options.id ?? 'pool');
  const where = `createPool "${id}"`;
  if (typeof options.create !== 'function')
    throw new TypeError(`${where}: create must be a function`);
  checkFunction(where, 'destroy', options.destroy);
  checkFunction(where, 'validate', options.validate);
  checkFunction(where, 'isFatal', options.isFatal);
  const max = checkCount(where, 'max', options.max ?? 10, 1);
  const min = checkCount(where, 'min', options.min ?? 0, 0);
  if (min > max) throw new RangeError(`${where}: min (${min}) must not exceed max (${max})`);
  return {
    id,
    create: options.create,
    destroy: options.destroy ?? (() => undefined),
    validate: options.validate,
    min,
    max,
    acquireTimeoutMs: checkMs(where, 'acquireTimeoutMs', options.acquireTimeoutMs ?? 10_000, true),
    idleTimeoutMs: checkMs(where, 'idleTimeoutMs', options.idleTimeoutMs ?? 30_000, true),
    isFatal: options.isFatal ?? isConnectionError,
    clock: options.clock ?? systemClock,
  };
}
