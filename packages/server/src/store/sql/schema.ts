import type { ColumnType, Generated } from 'kysely';

/** Histogram bucket columns `h0` … `h39` (see model/histogram.ts). */
export type HistogramColumns = {
  [K in `h${number}`]: ColumnType<number, number | undefined, number>;
};

export interface RollupTable extends HistogramColumns {
  monitor_id: number;
  /** Bucket start, ms. */
  start: number;
  n_ok: number;
  n_fail: number;
  n_degraded: number;
  n_pending: number;
  /** Latency of ok + degraded results, µs. */
  lat_sum: number;
  lat_min: number | null;
  lat_max: number | null;
}

export interface Database {
  vigil_schema: { version: number; name: string; applied_at: number };
  vigil_meta: { key: string; value: string };
  monitors: {
    id: Generated<number>;
    key: string;
    name: string;
    group_id: string;
    kind: string;
    interval_ms: number;
    created_at: number;
    updated_at: number;
    removed_at: number | null;
  };
  messages: { id: Generated<number>; text: string; details: string; last_seen: number };
  results: {
    monitor_id: number;
    ts: number;
    outcome: number;
    latency_us: number;
    message_id: number | null;
    value: number | null;
    phases: Uint8Array | null;
  };
  rollup_minute: RollupTable;
  rollup_hour: RollupTable;
  rollup_day: RollupTable;
  /** Narrow 15-minute buckets for board sparklines (no histogram), kept as long as the minute tier. */
  rollup_quarter: {
    monitor_id: number;
    start: number;
    n_ok: number;
    n_fail: number;
    n_degraded: number;
    n_pending: number;
    lat_sum: number;
  };
  incidents: {
    id: Generated<number>;
    monitor_id: number;
    from_status: string;
    to_status: string;
    cause: string;
    reason: string;
    started_at: number;
    ended_at: number | null;
    last_seen_at: number | null;
  };
  monitor_state: {
    monitor_id: number;
    seq: number;
    status: string;
    since: number;
    updated_at: number;
    state: string;
  };
  outbox: {
    id: Generated<number>;
    monitor_id: number;
    notifier_id: string;
    event_kind: string;
    payload: string;
    dedup_key: string;
    status: string;
    attempts: number;
    next_attempt_at: number;
    lease_owner: string | null;
    lease_until: number | null;
    last_error: string | null;
    created_at: number;
    delivered_at: number | null;
  };
  delivery_log: {
    id: Generated<number>;
    outbox_id: number;
    attempt: number;
    at: number;
    outcome: string;
    error: string | null;
    duration_ms: number | null;
    detail: string | null;
  };
  users: { username: string; password_hash: string; created_at: number };
  sessions: {
    id_hash: string;
    username: string;
    csrf: string;
    created_at: number;
    expires_at: number;
  };
  api_tokens: {
    id: string;
    name: string;
    hash: string;
    scope: string;
    created_at: number;
    last_used_at: number | null;
  };
}

export type RollupTableName = 'rollup_minute' | 'rollup_hour' | 'rollup_day';
