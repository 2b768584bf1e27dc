import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@vigil/resilience';
import { ApiError, badRequest } from '../errors.js';
import type { Principal } from '../route.js';
import type { AuthStore, TokenRecord, TokenScope } from './auth-store.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { LoginLimiter } from './rate-limit.js';

/** A new browser session: the cookie values to set. */
export interface NewSession {
  readonly id: string;
  readonly csrf: string;
  readonly expiresAt: number;
  readonly username: string;
}

/** What a request presents to prove who it is. */
export interface Credentials {
  readonly bearer?: string;
  readonly sessionId?: string;
}

/** Options of {@link AuthService}. */
export interface AuthServiceOptions {
  readonly store: AuthStore;
  readonly clock: Clock;
  /** Default 7 days. */
  readonly sessionTtlMs?: number;
  /** Anyone may read the board without signing in. */
  readonly publicBoard?: boolean;
  readonly limiter?: LoginLimiter;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const secret = (bytes: number): string => randomBytes(bytes).toString('base64url');
const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** A resolved principal plus the session's CSRF token when it came from a session. */
export type Authenticated = Principal & { readonly csrf?: string };

/**
 * Accounts, sessions and API tokens. Passwords are hashed with scrypt; session ids and token secrets are
 * stored only as SHA-256 hashes; logins are rate limited per address and per account.
 */
export class AuthService {
  readonly #store: AuthStore;
  readonly #clock: Clock;
  readonly #ttl: number;
  readonly #limiter: LoginLimiter;
  readonly publicBoard: boolean;
  #setupToken: string | undefined;

  constructor(options: AuthServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#ttl = options.sessionTtlMs ?? 7 * 86_400_000;
    this.#limiter = options.limiter ?? new LoginLimiter({ clock: options.clock });
    this.publicBoard = options.publicBoard ?? false;
  }

  /** True while no account exists: the first visitor with the setup token creates the admin. */
  async setupRequired(): Promise<boolean> {
    return (await this.#store.countUsers()) === 0;
  }

  /** The one-time token that authorises first-run setup (shown in the server log); undefined once set up. */
  async setupToken(): Promise<string | undefined> {
    if (!(await this.setupRequired())) return undefined;
    this.#setupToken ??= secret(18);
    return this.#setupToken;
  }

  /** Creates an account (CLI, env bootstrap, or first-run setup). */
  async createUser(username: string, password: string): Promise<void> {
    if (!USERNAME.test(username))
      throw badRequest('invalid username', [
        { where: 'body.username', message: '1–64 letters, digits, . _ @ -' },
      ]);
    const problem = passwordProblem(password, username);
    if (problem !== undefined)
      throw badRequest(`password ${problem}`, [{ where: 'body.password', message: problem }]);
    const created = await this.#store.createUser({
      username,
      passwordHash: await hashPassword(password),
      createdAt: this.#clock.now(),
    });
    if (!created) throw new ApiError(409, 'CONFLICT', `user "${username}" already exists`);
  }

  /** First-run setup: creates the admin with the setup token, then signs them in. */
  async setup(token: string, username: string, password: string): Promise<NewSession> {
    const expected = await this.setupToken();
    if (expected === undefined)
      throw new ApiError(409, 'ALREADY_SET_UP', 'Vigil is already set up; sign in instead');
    if (!safeEqual(token, expected))
      throw new ApiError(
        403,
        'FORBIDDEN',
        'wrong setup token; use the one printed in the server log',
      );
    await this.createUser(username, password);
    this.#setupToken = undefined;
    return this.#newSession(username);
  }

  /** Signs in; 401 with one message for a wrong user or password, 429 when rate limited. */
  async login(username: string, password: string, address: string): Promise<NewSession> {
    const waitMs = this.#limiter.check(address, username);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ApiError(
        429,
        'RATE_LIMITED',
        `too many sign-in attempts; try again in ${seconds} s`,
        undefined,
        { 'retry-after': String(seconds) },
      );
    }
    const user = await this.#store.getUser(username);
    const ok = user !== undefined && (await verifyPassword(password, user.passwordHash));
    if (!ok) {
      this.#limiter.failed(username);
      throw new ApiError(401, 'UNAUTHORIZED', 'wrong username or password');
    }
    this.#limiter.succeeded(username);
    return this.#newSession(username);
  }

  async logout(sessionId: string): Promise<void> {
    await this.#store.deleteSession(sha256(sessionId));
  }

  /** Changes a password and ends every session of that account. */
  async setPassword(username: string, password: string): Promise<void> {
    const problem = passwordProblem(password, username);
    if (problem !== undefined)
      throw badRequest(`password ${problem}`, [{ where: 'body.password', message: problem }]);
    if (!(await this.#store.setPasswordHash(username, await hashPassword(password))))
      throw new ApiError(404, 'NOT_FOUND', `user "${username}" does not exist`);
    await this.#store.deleteSessionsOf(username);
  }

  /** Who presents these credentials: a token, a session, or anonymous. Invalid credentials are 401. */
  async authenticate(credentials: Credentials): Promise<Authenticated> {
    const now = this.#clock.now();
    if (credentials.bearer !== undefined) {
      const token = await this.#store.findToken(sha256(credentials.bearer));
      if (token === undefined)
        throw new ApiError(401, 'UNAUTHORIZED', 'unknown or revoked API token');
      if (token.lastUsedAt === undefined || now - token.lastUsedAt > 60_000)
        await this.#store.touchToken(token.id, now);
      return { kind: 'token', scope: token.scope, tokenId: token.id };
    }
    if (credentials.sessionId !== undefined) {
      const session = await this.#store.getSession(sha256(credentials.sessionId));
      if (session !== undefined && session.expiresAt > now) {
        return { kind: 'session', scope: 'write', user: session.username, csrf: session.csrf };
      }
    }
    return this.publicBoard
      ? { kind: 'public', scope: 'read' }
      : { kind: 'anonymous', scope: 'none' };
  }

  /** Creates an API token; its secret is returned once and stored only as a hash. */
  async createToken(
    name: string,
    scope: TokenScope,
  ): Promise<{ token: TokenRecord; secret: string }> {
    const value = `vigil_${secret(24)}`;
    const token: TokenRecord = {
      id: secret(6),
      name,
      hash: sha256(value),
      scope,
      createdAt: this.#clock.now(),
    };
    await this.#store.createToken(token);
    return { token, secret: value };
  }

  listTokens(): Promise<TokenRecord[]> {
    return this.#store.listTokens();
  }

  deleteToken(id: string): Promise<boolean> {
    return this.#store.deleteToken(id);
  }

  async #newSession(username: string): Promise<NewSession> {
    const id = secret(32);
    const csrf = secret(24);
    const now = this.#clock.now();
    const expiresAt = now + this.#ttl;
    await this.#store.createSession({
      idHash: sha256(id),
      username,
      csrf,
      createdAt: now,
      expiresAt,
    });
    await this.#store.deleteExpiredSessions(now);
    return { id, csrf, expiresAt, username };
  }
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
