/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers) */
import type { Kysely, Selectable } from 'kysely';
import type { AuthStore, SessionRecord, TokenRecord } from '../../api/index.js';
import type { Database } from './schema.js';

type TokenRow = Selectable<Database['api_tokens']>;
type SessionRow = Selectable<Database['sessions']>;

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  name: r.name,
  hash: r.hash,
  scope: r.scope as TokenRecord['scope'],
  createdAt: Number(r.created_at),
  ...(r.last_used_at === null ? {} : { lastUsedAt: Number(r.last_used_at) }),
});

const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  username: r.username,
  csrf: r.csrf,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
});

/**
 * Accounts, sessions and API tokens in the store's database (tables `users`, `sessions`, `api_tokens`),
 * so they outlive a restart. Only what the {@link AuthStore} hands over is kept: scrypt password hashes,
 * SHA-256 hashes of session ids and of token secrets — never a password, session id or token secret.
 */
export function sqlAuthStore(db: Kysely<Database>): AuthStore {
  return {
    async countUsers() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async getUser(username) {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : { username: r.username, passwordHash: r.password_hash, createdAt: Number(r.created_at) };
    },
    async createUser(user) {
      const r = await db
        .insertInto('users')
        .values({
          username: user.username,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async setPasswordHash(username, passwordHash) {
      const r = await db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('username', '=', username)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async createSession(s) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: s.idHash,
          username: s.username,
          csrf: s.csrf,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async getSession(idHash) {
      const r = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return r === undefined ? undefined : toSession(r);
    },
    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteSessionsOf(username) {
      await db.deleteFrom('sessions').where('username', '=', username).execute();
    },
    async deleteExpiredSessions(now) {
      const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async createToken(t) {
      await db
        .insertInto('api_tokens')
        .values({
          id: t.id,
          name: t.name,
          hash: t.hash,
          scope: t.scope,
          created_at: t.createdAt,
          last_used_at: t.lastUsedAt ?? null,
        })
        .execute();
    },
    async listTokens() {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },
    async findToken(hash) {
      const r = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('hash', '=', hash)
        .executeTakeFirst();
      return r === undefined ? undefined : toToken(r);
    },
    async touchToken(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async deleteToken(id) {
      const r = await db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
