import { createBackoff, exponential, type Backoff, type Clock } from '@vigil/resilience';

/** Options of {@link LoginLimiter}. */
export interface LoginLimiterOptions {
  readonly clock: Clock;
  /** Attempts an address may make in a burst. Default 5. */
  readonly burst?: number;
  /** One attempt comes back every this many ms. Default 12,000 (5 a minute). */
  readonly refillMs?: number;
  /** Failed logins of one account before it is locked out on a backoff (1 min doubling to 1 h). Default 10. */
  readonly lockAfter?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Login rate limiting: a token bucket per client address (a burst, then a steady rate), and per account a
 * lockout on an exponential backoff after repeated failures, so neither one address nor a distributed
 * guesser can try passwords quickly. `check` returns the ms to wait, or 0.
 */
export class LoginLimiter {
  readonly #clock: Clock;
  readonly #burst: number;
  readonly #refillMs: number;
  readonly #lockAfter: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #accounts = new Map<
    string,
    { failures: number; backoff: Backoff; lockedUntil: number }
  >();

  constructor(options: LoginLimiterOptions) {
    this.#clock = options.clock;
    this.#burst = options.burst ?? 5;
    this.#refillMs = options.refillMs ?? 12_000;
    this.#lockAfter = options.lockAfter ?? 10;
  }

  /** Takes an attempt for `address` and `username`; returns 0 when allowed, else the ms to wait. */
  check(address: string, username: string): number {
    const now = this.#clock.monotonic();
    const account = this.#accounts.get(username);
    if (account !== undefined && account.lockedUntil > now)
      return Math.ceil(account.lockedUntil - now);
    const bucket = this.#buckets.get(address) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) / this.#refillMs);
    bucket.at = now;
    this.#buckets.set(address, bucket);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) * this.#refillMs);
    bucket.tokens -= 1;
    if (this.#buckets.size > 10_000) this.#prune(now);
    return 0;
  }

  failed(username: string): void {
    const now = this.#clock.monotonic();
    const account = this.#accounts.get(username) ?? {
      failures: 0,
      backoff: createBackoff(exponential({ initialMs: 60_000, maxMs: 3_600_000 }), {
        clock: this.#clock,
      }),
      lockedUntil: 0,
    };
    account.failures++;
    if (account.failures >= this.#lockAfter) {
      const delay = account.backoff.fail();
      account.lockedUntil = now + (delay === 'stop' ? 3_600_000 : delay);
    }
    this.#accounts.set(username, account);
  }

  succeeded(username: string): void {
    this.#accounts.delete(username);
  }

  #prune(now: number): void {
    for (const [address, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) / this.#refillMs >= this.#burst)
        this.#buckets.delete(address);
    }
  }
}
