import type { Kysely } from 'kysely';
import { DEFAULT_INTERVAL_MS } from '../model/gaps.js';
import type { Database } from './schema.js';

/** Monitors registered per statement by `IdCache.monitorIds` (7 bind parameters a row). */
const MONITOR_CHUNK = 1000;

/**
 * Maps monitor keys and message texts to their integer ids, with caches. Entries learnt inside a
 * transaction are kept aside and only cached once it commits, so a rollback never leaves a stale id.
 */
export class IdCache {
  readonly #monitors = new Map<string, number>();
  readonly #messages = new Map<string, { id: number; touched: number }>();
  #freshMonitors = new Map<string, number>();
  #freshMessages = new Map<string, { id: number; touched: number }>();
  readonly #maxMessages: number;

  constructor(maxMessages = 20_000) {
    this.#maxMessages = maxMessages;
  }

  /** Ids of `keys`, registering monitors seen for the first time (named after their key until synced). */
  async monitorIds(
    db: Kysely<Database>,
    keys: Iterable<string>,
    now: number,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const key of keys) {
      const id = this.#monitors.get(key) ?? this.#freshMonitors.get(key);
      if (id === undefined) missing.push(key);
      else out.set(key, id);
    }
    // In parts: one row carries 7 bind parameters, and SQLite allows 32,766 per statement.
    for (let i = 0; i < missing.length; i += MONITOR_CHUNK) {
      const part = missing.slice(i, i + MONITOR_CHUNK);
      await db
        .insertInto('monitors')
        .values(
          part.map((key) => ({
            key,
            name: key,
            group_id: 'default',
            kind: 'unknown',
            interval_ms: DEFAULT_INTERVAL_MS,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const rows = await db
        .selectFrom('monitors')
        .select(['id', 'key'])
        .where('key', 'in', part)
        .execute();
      for (const r of rows) {
        out.set(r.key, r.id);
        this.#freshMonitors.set(r.key, r.id);
      }
    }
    return out;
  }

  /**
   * Ids of `(text, details)` messages, inserting new ones. `last_seen` is refreshed at most hourly per
   * message, which is all retention needs (messages unused for the raw retention are pruned).
   */
  async messageIds(
    db: Kysely<Database>,
    messages: Iterable<readonly [text: string, details: string]>,
    now: number,
    chunk: number,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const upsert = new Map<string, { text: string; details: string; last_seen: number }>();
    for (const [text, details] of messages) {
      const key = `${text}\u0000${details}`;
      if (out.has(key) || upsert.has(key)) continue;
      const have = this.#messages.get(key) ?? this.#freshMessages.get(key);
      if (have !== undefined && now - have.touched < 3_600_000) out.set(key, have.id);
      else upsert.set(key, { text, details, last_seen: now });
    }
    const values = [...upsert.values()];
    for (let i = 0; i < values.length; i += chunk) {
      const rows = await db
        .insertInto('messages')
        .values(values.slice(i, i + chunk))
        .onConflict((oc) =>
          oc
            .columns(['text', 'details'])
            .doUpdateSet((eb) => ({ last_seen: eb.ref('excluded.last_seen') })),
        )
        .returning(['id', 'text', 'details'])
        .execute();
      for (const r of rows) {
        const key = `${r.text}\u0000${r.details}`;
        out.set(key, r.id);
        this.#freshMessages.set(key, { id: r.id, touched: now });
      }
    }
    return out;
  }

  /** The transaction committed: keep what it learnt. */
  commit(): void {
    for (const [k, v] of this.#freshMonitors) this.#monitors.set(k, v);
    for (const [k, v] of this.#freshMessages) {
      this.#messages.delete(k);
      this.#messages.set(k, v);
    }
    while (this.#messages.size > this.#maxMessages) {
      const oldest = this.#messages.keys().next().value as string;
      this.#messages.delete(oldest);
    }
    this.rollback();
  }

  /** The transaction failed: forget what it learnt. */
  rollback(): void {
    this.#freshMonitors = new Map();
    this.#freshMessages = new Map();
  }

  /** Pruning deleted old messages: drop them from the cache too. */
  forgetMessages(): void {
    this.#messages.clear();
  }

  /** Cached id of a monitor, if known. */
  cachedMonitor(key: string): number | undefined {
    return this.#monitors.get(key);
  }
}
