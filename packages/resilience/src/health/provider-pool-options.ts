import { BackoffPolicy, exponential, policy } from '../backoff/index.js';
import { systemClock, systemRandom, type Clock, type Random } from '../clock/index.js';
import type { ProviderPoolOptions, ProviderRef, ProviderSource } from './provider-pool-types.js';

/** Options of a pool with defaults applied and every value checked. */
export interface NormalizedPoolOptions<P extends ProviderRef, V> {
  readonly id: string;
  readonly providers: ProviderSource<P>;
  readonly poll: ProviderPoolOptions<P, V>['poll'];
  readonly periodMs: number;
  readonly backoff: BackoffPolicy;
  readonly maxAttempts: number;
  readonly pollTimeoutMs: number;
  readonly refreshMs: number;
  readonly equals: (a: V, b: V) => boolean;
  readonly clock: Clock;
  readonly random: Random;
}

type Raw = Record<string, unknown>;

/** Validates `options`, throwing `TypeError`/`RangeError` that names the bad option. */
export function normalizePoolOptions<P extends ProviderRef, V>(
  options: ProviderPoolOptions<P, V>,
): NormalizedPoolOptions<P, V> {
  const raw = options as unknown as Raw | null;
  if (typeof raw !== 'object' || raw === null) {
    throw new TypeError('ProviderPool: options must be an object { providers, poll, … }');
  }
  if (raw.id !== undefined && (typeof raw.id !== 'string' || raw.id === '')) {
    throw new TypeError(`ProviderPool: id must be a non-empty string`);
  }
  const id = raw.id ?? 'provider-pool';
  const where = `ProviderPool "${id}"`;
  if (!Array.isArray(raw.providers) && typeof raw.providers !== 'function') {
    throw new TypeError(
      `${where}: providers must be an array of providers or a discovery function returning one`,
    );
  }
  if (Array.isArray(raw.providers)) providerIds(where, raw.providers as readonly P[]);
  if (typeof raw.poll !== 'function') {
    throw new TypeError(`${where}: poll must be a function (provider, ctx) => value`);
  }
  if (raw.equals !== undefined && typeof raw.equals !== 'function') {
    throw new TypeError(`${where}: equals must be a function (a, b) => boolean`);
  }
  const periodMs = ms(where, 'periodMs', raw.periodMs ?? 5000);
  const maxAttempts = raw.maxAttempts ?? 3;
  if (!(Number.isInteger(maxAttempts) && (maxAttempts as number) >= 1)) {
    throw new RangeError(
      `${where}: maxAttempts must be an integer >= 1, got ${JSON.stringify(maxAttempts)}`,
    );
  }
  return {
    id,
    providers: options.providers,
    poll: options.poll,
    periodMs,
    backoff: backoffOf(where, raw.backoff, periodMs),
    maxAttempts: maxAttempts as number,
    pollTimeoutMs: ms(where, 'pollTimeoutMs', raw.pollTimeoutMs ?? 10_000, true),
    refreshMs: ms(where, 'refreshMs', raw.refreshMs ?? 60_000),
    equals: options.equals ?? Object.is,
    clock: (raw.clock as Clock | undefined) ?? systemClock,
    random: (raw.random as Random | undefined) ?? systemRandom,
  };
}

/** The id of a provider. */
export function providerId(provider: ProviderRef): string {
  return typeof provider === 'string' ? provider : provider.id;
}

/** Checks every provider has a non-empty, unique id; returns the ids in order. */
export function providerIds(where: string, providers: readonly ProviderRef[]): string[] {
  const seen = new Set<string>();
  return providers.map((provider, i) => {
    const id =
      typeof provider === 'string'
        ? provider
        : (provider as { id?: unknown } | null | undefined)?.id;
    if (typeof id !== 'string' || id === '') {
      throw new TypeError(`${where}: providers[${i}] must be a non-empty string or have an id`);
    }
    if (seen.has(id)) throw new TypeError(`${where}: providers[${i}] repeats the id "${id}"`);
    seen.add(id);
    return id;
  });
}

function backoffOf(where: string, value: unknown, periodMs: number): BackoffPolicy {
  if (value === undefined) {
    return exponential({ initialMs: periodMs, maxMs: Math.max(60_000, periodMs), jitter: 'equal' });
  }
  if (value instanceof BackoffPolicy) return value;
  const foreign = value as BackoffPolicy | null;
  if (typeof foreign?.next !== 'function') {
    throw new TypeError(`${where}: backoff must be a backoff policy (exponential({...}), …)`);
  }
  return policy((attempt, ctx) => foreign.next(attempt, ctx), foreign.description);
}

function ms(where: string, option: string, value: unknown, allowInfinity = false): number {
  const ok = typeof value === 'number' && value > 0 && (allowInfinity || Number.isFinite(value));
  if (!ok) {
    throw new RangeError(
      `${where}: ${option} must be a number of ms > 0${allowInfinity ? ' (or Infinity)' : ''}, got ${typeof value === 'number' ? value : JSON.stringify(value)}`,
    );
  }
  return value;
}
