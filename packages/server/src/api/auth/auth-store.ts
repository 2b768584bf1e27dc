/** An admin account. */
export interface UserRecord {
  readonly username: string;
  readonly passwordHash: string;
  readonly createdAt: number;
}

/** A browser session; only a hash of its id is stored. */
export interface SessionRecord {
  readonly idHash: string;
  readonly username: string;
  /** The CSRF token writes must echo in the X-CSRF-Token header. */
  readonly csrf: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** An API token; only a hash of its secret is stored. */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly scope: TokenScope;
  readonly createdAt: number;
  readonly lastUsedAt?: number;
}

/** Where accounts, sessions and API tokens persist (the store implements it; tests use the memory one). */
export interface AuthStore {
  countUsers(): Promise<number>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** False when the username is taken. */
  createUser(user: UserRecord): Promise<boolean>;
  setPasswordHash(username: string, passwordHash: string): Promise<boolean>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Deletes every session of a user (password change). */
  deleteSessionsOf(username: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;
  createToken(token: TokenRecord): Promise<void>;
  listTokens(): Promise<TokenRecord[]>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  touchToken(id: string, at: number): Promise<void>;
  deleteToken(id: string): Promise<boolean>;
}

/** An {@link AuthStore} in memory: for tests, and for a server without storage. */
export function memoryAuthStore(): AuthStore {
  const users = new Map<string, UserRecord>();
  const sessions = new Map<string, SessionRecord>();
  const tokens = new Map<string, TokenRecord>();
  return {
    countUsers: () => Promise.resolve(users.size),
    getUser: (username) => Promise.resolve(users.get(username)),
    createUser(user) {
      if (users.has(user.username)) return Promise.resolve(false);
      users.set(user.username, user);
      return Promise.resolve(true);
    },
    setPasswordHash(username, passwordHash) {
      const user = users.get(username);
      if (user === undefined) return Promise.resolve(false);
      users.set(username, { ...user, passwordHash });
      return Promise.resolve(true);
    },
    createSession: (session) => Promise.resolve(void sessions.set(session.idHash, session)),
    getSession: (idHash) => Promise.resolve(sessions.get(idHash)),
    deleteSession: (idHash) => Promise.resolve(void sessions.delete(idHash)),
    deleteSessionsOf(username) {
      for (const [id, s] of sessions) if (s.username === username) sessions.delete(id);
      return Promise.resolve();
    },
    deleteExpiredSessions(now) {
      let n = 0;
      for (const [id, s] of sessions) if (s.expiresAt <= now && sessions.delete(id)) n++;
      return Promise.resolve(n);
    },
    createToken: (token) => Promise.resolve(void tokens.set(token.id, token)),
    listTokens: () => Promise.resolve([...tokens.values()]),
    findToken: (hash) => Promise.resolve([...tokens.values()].find((t) => t.hash === hash)),
    touchToken(id, at) {
      const t = tokens.get(id);
      if (t !== undefined) tokens.set(id, { ...t, lastUsedAt: at });
      return Promise.resolve();
    },
    deleteToken: (id) => Promise.resolve(tokens.delete(id)),
  };
}
