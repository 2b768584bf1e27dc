/* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- Number() guards values a driver may hand back as strings (64-bit integers, sums) */
import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  OutboxIntent,
  Settlement,
  AttemptReport,
  ClaimOptions,
  Delivery,
  FailureReport,
  Outbox,
  OutboxEntry,
  OutboxStatus,
} from '../outbox-types.js';
import { outboxStatuses } from '../outbox-types.js';
import { truncate } from '../model/codec.js';
import type { SqlDialect } from './dialect.js';
import type { Database } from './schema.js';

type OutboxRow = Selectable<Database['outbox']> & { key: string };

function entryOf(r: OutboxRow): OutboxEntry {
  let payload: unknown;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    payload = r.payload;
  }
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id),
    monitorId: r.key,
    notifierId: r.notifier_id,
    eventKind: r.event_kind,
    payload,
    dedupKey: r.dedup_key,
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseUntil: num(r.lease_until),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    deliveredAt: num(r.delivered_at),
  };
}

function positive(value: number, name: string, max = Infinity): number {
  if (!(Number.isFinite(value) && value > 0 && value <= max))
    throw new RangeError(
      `outbox: ${name} must be a positive number${max === Infinity ? '' : ` ≤ ${max}`}, got ${value}`,
    );
  return value;
}

/** The outbox over a SQL back end. */
export function sqlOutbox(dialect: SqlDialect, now: () => number): Outbox {
  const db: Kysely<Database> = dialect.db;
  const select = (q: Kysely<Database>) =>
    q
      .selectFrom('outbox as o')
      .innerJoin('monitors as m', 'm.id', 'o.monitor_id')
      .selectAll('o')
      .select('m.key');

  async function claim(options: ClaimOptions): Promise<OutboxEntry[]> {
    const limit = positive(options.limit ?? 10, 'limit', 1000);
    const leaseMs = positive(options.leaseMs ?? 60_000, 'leaseMs');
    if (options.owner === '') throw new RangeError('outbox: owner must not be empty');
    const t = now();
    const ids = await dialect.write(async (trx) => {
      // Two index-friendly reads (an OR of both would scan the table): rows whose lease expired (a
      // worker died mid-delivery), then pending rows by due time.
      let expired = trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'delivering')
        .where('lease_until', '<=', t)
        .orderBy('id')
        .limit(limit);
      if (dialect.skipLocked) expired = expired.forUpdate().skipLocked();
      const picked = (await expired.execute()).map((r) => Number(r.id));
      if (picked.length < limit) {
        let due = trx
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', t)
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit - picked.length);
        if (dialect.skipLocked) due = due.forUpdate().skipLocked();
        for (const r of await due.execute()) picked.push(Number(r.id));
      }
      if (picked.length === 0) return [];
      const rows = await trx
        .updateTable('outbox')
        .set({ status: 'delivering', lease_owner: options.owner, lease_until: t + leaseMs })
        .where('id', 'in', picked)
        .returning('id')
        .execute();
      return rows.map((r) => Number(r.id));
    });
    if (ids.length === 0) return [];
    const rows = await select(db)
      .where('o.id', 'in', ids)
      .orderBy('o.next_attempt_at')
      .orderBy('o.id')
      .execute();
    return rows.map(entryOf);
  }

  /** Applies one finished attempt inside `trx`; false when `report.owner` no longer holds the lease. */
  async function finishIn(
    trx: Kysely<Database>,
    id: number,
    report: AttemptReport,
    outcome: 'delivered' | 'failed',
    update: Record<string, unknown>,
    error: string | null,
    t: number,
  ): Promise<boolean> {
    const row = await trx
      .updateTable('outbox')
      .set({
        ...update,
        attempts: sql`attempts + 1`,
        lease_owner: null,
        lease_until: null,
      } as never)
      .where('id', '=', id)
      .where('status', '=', 'delivering')
      .where('lease_owner', '=', report.owner)
      .returning('attempts')
      .executeTakeFirst();
    if (row === undefined) return false;
    await trx
      .insertInto('delivery_log')
      .values({
        outbox_id: id,
        attempt: Number(row.attempts),
        at: t,
        outcome,
        error,
        duration_ms: report.durationMs ?? null,
        detail: report.detail === undefined ? null : truncate(report.detail),
      })
      .execute();
    return true;
  }

  /** The row update and log error of a settlement. */
  function changesOf(s: Settlement, t: number): [Record<string, unknown>, string | null] {
    if (s.outcome === 'delivered')
      return [{ status: 'delivered', delivered_at: t, last_error: null }, null];
    const error = truncate(s.error);
    return [
      s.retryAt === null
        ? { status: 'failed', last_error: error }
        : { status: 'pending', next_attempt_at: s.retryAt, last_error: error },
      error,
    ];
  }

  function settle(settlements: readonly Settlement[]): Promise<boolean[]> {
    if (settlements.length === 0) return Promise.resolve([]);
    const t = now();
    return dialect.write(async (trx) => {
      const out: boolean[] = [];
      for (const s of settlements) {
        const [update, error] = changesOf(s, t);
        out.push(await finishIn(trx, s.id, s, s.outcome, update, error, t));
      }
      return out;
    });
  }

  async function enqueue(monitorId: string, intents: readonly OutboxIntent[]): Promise<number[]> {
    if (intents.length === 0) return [];
    const t = now();
    return dialect.write(async (trx) => {
      const monitor = await trx
        .selectFrom('monitors')
        .select('id')
        .where('key', '=', monitorId)
        .executeTakeFirst();
      if (monitor === undefined)
        throw new RangeError(`outbox: unknown monitor "${monitorId}"; sync the monitors first`);
      const ids: number[] = [];
      for (const intent of intents) {
        const row = await trx
          .insertInto('outbox')
          .values({
            monitor_id: monitor.id,
            notifier_id: intent.notifierId,
            event_kind: intent.eventKind,
            payload: JSON.stringify(intent.payload ?? null),
            dedup_key: intent.dedupKey,
            status: 'pending',
            attempts: 0,
            next_attempt_at: intent.notBefore ?? t,
            created_at: t,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(Number(row.id));
      }
      return ids;
    });
  }

  async function recover(owner: string): Promise<number> {
    if (owner === '') throw new RangeError('outbox: owner must not be empty');
    const t = now();
    const rows = await dialect.write((trx) =>
      trx
        .updateTable('outbox')
        .set({ status: 'pending', lease_owner: null, lease_until: null, next_attempt_at: t })
        .where('status', '=', 'delivering')
        .where('lease_owner', '=', owner)
        .returning('id')
        .execute(),
    );
    return rows.length;
  }

  return {
    claim,
    enqueue,
    recover,
    settle,
    delivered: async (id, report) =>
      (await settle([{ id, outcome: 'delivered', ...report }]))[0] ?? false,
    failed: async (id, report: FailureReport) =>
      (await settle([{ id, outcome: 'failed', ...report }]))[0] ?? false,
    async get(id) {
      const row = await select(db).where('o.id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : entryOf(row);
    },
    async list(query = {}) {
      if (query.status !== undefined && !outboxStatuses.includes(query.status))
        throw new RangeError(
          `outbox: unknown status "${query.status}"; use one of ${outboxStatuses.join(', ')}`,
        );
      let q = select(db).where('o.id', '>', query.afterId ?? 0);
      if (query.status !== undefined) q = q.where('o.status', '=', query.status);
      if (query.monitorId !== undefined) q = q.where('m.key', '=', query.monitorId);
      const rows = await q
        .orderBy('o.id')
        .limit(positive(query.limit ?? 100, 'limit', 1000))
        .execute();
      return rows.map(entryOf);
    },
    async deliveries(query = {}): Promise<Delivery[]> {
      let q = db.selectFrom('delivery_log').selectAll();
      if (query.outboxId !== undefined) q = q.where('outbox_id', '=', query.outboxId);
      if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(positive(query.limit ?? 100, 'limit', 1000))
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        outboxId: Number(r.outbox_id),
        attempt: Number(r.attempt),
        at: Number(r.at),
        outcome: r.outcome as Delivery['outcome'],
        error: r.error,
        durationMs: r.duration_ms,
        detail: r.detail,
      }));
    },
  };
}
