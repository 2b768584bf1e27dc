import { createBackoff, type Backoff } from '../backoff/index.js';
import type { Clock } from '../clock/index.js';
import type { NormalizedPoolOptions } from './provider-pool-options.js';
import type { ProviderRef, ProviderState, ProviderStatus } from './provider-pool-types.js';

/** The pool's record of one provider. It outlives the provider's task, so a restart resumes where it was. */
export interface Entry<P, V> {
  readonly id: string;
  provider: P;
  state: ProviderState;
  value: V | undefined;
  updatedAt: number | undefined;
  attempts: number;
  lastError: unknown;
  since: number;
  /** Monotonic time of the next poll; `undefined` while blocked or polling. */
  nextPollAt: number | undefined;
  readonly backoff: Backoff;
  /** Set by a blocked provider's task: polls at once when called (a release). */
  wake: (() => void) | undefined;
}

/** A new provider's record: pending, never polled. */
export function newEntry<P extends ProviderRef, V>(
  id: string,
  provider: P,
  options: NormalizedPoolOptions<P, V>,
): Entry<P, V> {
  const { clock, backoff, random } = options;
  return {
    id,
    provider,
    state: 'pending',
    value: undefined,
    updatedAt: undefined,
    attempts: 0,
    lastError: undefined,
    since: clock.now(),
    nextPollAt: undefined,
    backoff: createBackoff(backoff, { clock, random }),
    wake: undefined,
  };
}

/** Sets an entry's state, stamping `since` when it changes. */
export function setState(entry: Entry<unknown, unknown>, state: ProviderState, now: number): void {
  if (entry.state === state) return;
  entry.state = state;
  entry.since = now;
}

/** A provider's status as the pool reports it (times on the wall clock). */
export function statusOf<P, V>(e: Entry<P, V>, clock: Clock): ProviderStatus<P, V> {
  return {
    id: e.id,
    provider: e.provider,
    state: e.state,
    value: e.value,
    updatedAt: e.updatedAt,
    attempts: e.attempts,
    lastError: e.lastError,
    since: e.since,
    nextPollAt:
      e.nextPollAt === undefined ? undefined : clock.now() + (e.nextPollAt - clock.monotonic()),
  };
}
