// The one behaviour suite every AuthStore runs unchanged: memory, SQLite and PostgreSQL (STYLE.md, "Contract suites").
import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthService } from './auth-service.js';
import type { AuthStore, SessionRecord, TokenRecord } from './auth-store.js';

/** How a back end's test file opens auth stores for the suite. */
export interface AuthStoreHarness {
  /** A fresh, empty store. */
  open(): Promise<OpenedAuthStore>;
}

/** A store under test; `reopen` closes it and opens the same data again (a restart) where data persists. */
export interface OpenedAuthStore {
  readonly store: AuthStore;
  close(): Promise<void>;
  readonly reopen?: () => Promise<AuthStore>;
}

const session = (idHash: string, username: string, expiresAt: number): SessionRecord => ({
  idHash,
  username,
  csrf: `csrf-${idHash}`,
  createdAt: expiresAt - 1000,
  expiresAt,
});

const token = (id: string, createdAt: number, scope: 'read' | 'write' = 'read'): TokenRecord => ({
  id,
  name: `${id} name`,
  hash: `hash-${id}`,
  scope,
  createdAt,
});

/** Registers the AuthStore behaviour tests for one back end. */
export function authStoreContract(name: string, harness: AuthStoreHarness): void {
  describe(`AuthStore contract: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    afterEach(async () => {
      await Promise.all(closers.splice(0).map((c) => c()));
    });
    async function fresh() {
      const opened = await harness.open();
      closers.push(opened.close);
      return opened;
    }

    it('creates users once, reads them back and changes password hashes', async () => {
      const { store } = await fresh();
      expect(await store.countUsers()).toBe(0);
      expect(await store.getUser('admin')).toBeUndefined();
      const admin = { username: 'admin', passwordHash: 'scrypt$a', createdAt: 1_700_000_000_000 };
      expect(await store.createUser(admin)).toBe(true);
      expect(await store.createUser({ ...admin, passwordHash: 'scrypt$other' })).toBe(false);
      expect(await store.createUser({ ...admin, username: 'ops' })).toBe(true);
      expect(await store.countUsers()).toBe(2);
      expect(await store.getUser('admin')).toEqual(admin);
      expect(await store.getUser('Admin')).toBeUndefined();
      expect(await store.setPasswordHash('admin', 'scrypt$b')).toBe(true);
      expect(await store.setPasswordHash('nobody', 'scrypt$c')).toBe(false);
      expect((await store.getUser('admin'))?.passwordHash).toBe('scrypt$b');
      expect(await store.countUsers()).toBe(2);
    });

    it('keeps sessions by id hash, ends them one by one, per user and when expired', async () => {
      const { store } = await fresh();
      await store.createSession(session('s1', 'admin', 5000));
      await store.createSession(session('s2', 'admin', 9000));
      await store.createSession(session('s3', 'ops', 4000));
      await store.createSession(session('s4', 'ops', 9000));
      expect(await store.getSession('s1')).toEqual(session('s1', 'admin', 5000));
      expect(await store.getSession('nope')).toBeUndefined();
      await store.deleteSession('s1');
      await store.deleteSession('s1');
      expect(await store.getSession('s1')).toBeUndefined();
      expect(await store.deleteExpiredSessions(4000)).toBe(1);
      expect(await store.getSession('s3')).toBeUndefined();
      expect(await store.deleteExpiredSessions(4000)).toBe(0);
      await store.deleteSessionsOf('admin');
      expect(await store.getSession('s2')).toBeUndefined();
      expect(await store.getSession('s4')).toEqual(session('s4', 'ops', 9000));
    });

    it('keeps API tokens by hash, in creation order, with their last use', async () => {
      const { store } = await fresh();
      await store.createToken(token('t1', 1000, 'write'));
      await store.createToken(token('t2', 2000));
      expect(await store.listTokens()).toEqual([token('t1', 1000, 'write'), token('t2', 2000)]);
      expect(await store.findToken('hash-t2')).toEqual(token('t2', 2000));
      expect(await store.findToken('t2')).toBeUndefined();
      await store.touchToken('t2', 3000);
      await store.touchToken('missing', 3000);
      expect(await store.findToken('hash-t2')).toEqual({ ...token('t2', 2000), lastUsedAt: 3000 });
      expect(await store.deleteToken('t1')).toBe(true);
      expect(await store.deleteToken('t1')).toBe(false);
      expect(await store.findToken('hash-t1')).toBeUndefined();
      expect((await store.listTokens()).map((t) => t.id)).toEqual(['t2']);
    });

    it('through AuthService: an admin signs in, uses a token, and a password change ends the sessions', async () => {
      const opened = await fresh();
      const clock = new FakeClock();
      const auth = new AuthService({ store: opened.store, clock, sessionTtlMs: 60_000 });
      expect(await auth.setupRequired()).toBe(true);
      await auth.createUser('admin', 'correct horse battery');
      expect(await auth.setupRequired()).toBe(false);
      await expect(auth.login('admin', 'wrong password!!', '10.0.0.1')).rejects.toMatchObject({
        statusCode: 401,
      });
      const login = await auth.login('admin', 'correct horse battery', '10.0.0.1');
      const { secret } = await auth.createToken('ci', 'write');
      expect(await auth.authenticate({ sessionId: login.id })).toMatchObject({
        kind: 'session',
        user: 'admin',
        csrf: login.csrf,
      });
      expect(await auth.authenticate({ bearer: secret })).toMatchObject({
        kind: 'token',
        scope: 'write',
      });
      expect((await auth.listTokens())[0]?.lastUsedAt).toBe(clock.now());

      // What a restart sees: the same data through a new store.
      const store = (await opened.reopen?.()) ?? opened.store;
      const again = new AuthService({ store, clock, sessionTtlMs: 60_000 });
      expect(await again.setupRequired()).toBe(false);
      expect((await again.authenticate({ bearer: secret })).kind).toBe('token');
      expect((await again.authenticate({ sessionId: login.id })).kind).toBe('session');
      await again.login('admin', 'correct horse battery', '10.0.0.2');

      await clock.advance(60_000);
      expect((await again.authenticate({ sessionId: login.id })).kind).toBe('anonymous');
      const later = await again.login('admin', 'correct horse battery', '10.0.0.2');
      await again.setPassword('admin', 'another long passphrase');
      expect((await again.authenticate({ sessionId: later.id })).kind).toBe('anonymous');
      await expect(again.login('admin', 'correct horse battery', '10.0.0.3')).rejects.toMatchObject(
        { statusCode: 401 },
      );
      expect((await again.login('admin', 'another long passphrase', '10.0.0.3')).username).toBe(
        'admin',
      );
      await expect(again.authenticate({ bearer: 'vigil_not-a-token' })).rejects.toMatchObject({
        statusCode: 401,
      });
    });
  });
}
