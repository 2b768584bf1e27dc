import type { BackoffPolicy } from '../backoff/index.js';
import type { Clock, Random } from '../clock/index.js';

/**
 * Where a provider stands. `pending`: not polled successfully yet (new, or just released).
 * `allowed`: its last poll succeeded; its value is in the allowlist. `quarantined`: its last poll failed;
 * it is out of the allowlist and polled again on the backoff. `blocked`: `maxAttempts` polls in a row
 * failed; it is not polled until a refresh lists it again or `release(id)` is called.
 */
export const providerStates = ['pending', 'allowed', 'quarantined', 'blocked'] as const;
export type ProviderState = (typeof providerStates)[number];

/** A provider: its id, or any object with an `id` (a store with its URL, say). Ids are unique in a pool. */
export type ProviderRef = string | { readonly id: string };

/** What a poll receives. */
export interface PollContext {
  /** Aborts when the poll times out or the pool stops. Created on first use (Node's signals are not free). */
  readonly signal: AbortSignal;
  /** 1 when the last poll succeeded; n + 1 after n failures in a row. */
  readonly attempt: number;
}

/** Where to get the providers: a fixed list, or a discovery function called every `refreshMs`. */
export type ProviderSource<P> =
  readonly P[] | ((ctx: { readonly signal: AbortSignal }) => readonly P[] | Promise<readonly P[]>);

/** Options of {@link createProviderPool}. */
export interface ProviderPoolOptions<P extends ProviderRef, V> {
  /** Names the pool in supervisor trees and errors. Default `provider-pool`. */
  readonly id?: string;
  /** The providers, or a discovery function (new ones start polling, removed ones stop). */
  readonly providers: ProviderSource<P>;
  /** Asks one provider for its current value; resolving is success, throwing or rejecting failure. */
  readonly poll: (provider: P, ctx: PollContext) => V | Promise<V>;
  /** Time between polls of a healthy provider, in ms. Default 5,000. */
  readonly periodMs?: number;
  /**
   * Delays between polls of a quarantined provider. Default exponential from `periodMs`, doubling,
   * capped at 60 s (or `periodMs` if larger), equal jitter. A policy that says stop blocks the provider.
   */
  readonly backoff?: BackoffPolicy;
  /** Failed polls in a row that block a provider. Default 3. */
  readonly maxAttempts?: number;
  /** A poll that takes longer fails (and its signal aborts), in ms. Default 10,000. */
  readonly pollTimeoutMs?: number;
  /**
   * Time between calls of a discovery function, in ms. Default 60,000. Each refresh also re-admits the
   * blocked providers it still lists. A refresh that takes longer than this fails.
   */
  readonly refreshMs?: number;
  /** Whether two values are the same (no `value-changed`). Default `Object.is`. */
  readonly equals?: (a: V, b: V) => boolean;
  readonly clock?: Clock;
  /** Jitter source of the backoff. Default `Math.random`. */
  readonly random?: Random;
}

/** One provider as `status()` and `snapshot()` report it. */
export interface ProviderStatus<P, V> {
  readonly id: string;
  readonly provider: P;
  readonly state: ProviderState;
  /** The last value polled successfully (kept while quarantined or blocked, but then not in `values()`). */
  readonly value: V | undefined;
  /** Wall time of that value, ms since the epoch; `undefined` before the first success. */
  readonly updatedAt: number | undefined;
  /** Failed polls in a row. */
  readonly attempts: number;
  readonly lastError: unknown;
  /** Wall time at which `state` last changed. */
  readonly since: number;
  /** Wall time of the next poll; `undefined` while blocked or polling. */
  readonly nextPollAt: number | undefined;
}

/** One entry of the allowlist. */
export interface AllowedValue<V> {
  readonly id: string;
  readonly value: V;
  /** Wall time of the poll that produced it. */
  readonly updatedAt: number;
}

/** The providers by state, as `snapshot()` returns them. */
export type PoolSnapshot<P, V> = Readonly<Record<ProviderState, readonly ProviderStatus<P, V>[]>>;

/** Events of a {@link ProviderPool}. */
export interface ProviderPoolEvents<V> {
  /** A provider joined the list and starts polling. */
  added: { readonly id: string };
  /** A provider left the list; it is no longer polled. */
  removed: { readonly id: string };
  /** A provider entered the allowlist (its first success, or its first after failures). */
  admitted: { readonly id: string; readonly value: V; readonly at: number };
  /** An allowed provider's value changed. */
  'value-changed': {
    readonly id: string;
    readonly value: V;
    readonly previous: V;
    readonly at: number;
  };
  /** A poll failed: the provider is out of the allowlist until a poll succeeds again. */
  quarantined: {
    readonly id: string;
    readonly attempts: number;
    readonly error: unknown;
    readonly retryInMs: number;
  };
  /** `maxAttempts` polls in a row failed: the provider is no longer polled. */
  blocked: { readonly id: string; readonly attempts: number; readonly error: unknown };
  /** A blocked provider was given another chance. */
  released: { readonly id: string; readonly by: 'release' | 'refresh' };
  /** A refresh of the provider list finished. */
  refreshed: { readonly added: number; readonly removed: number; readonly total: number };
  /** The discovery function failed; the pool keeps its current list. */
  'refresh-failed': { readonly error: unknown };
}
