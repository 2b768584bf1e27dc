// The shapes the dashboard reads from the server's API (docs/api.md; the OpenAPI document is the reference).

export const statuses = ['up', 'down', 'pending', 'degraded', 'maintenance', 'paused'] as const;
export type Status = (typeof statuses)[number];

/** A monitor as `GET /api/v1/monitors` and the live feed carry it. */
export interface MonitorSummary {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly tags: readonly string[];
  readonly kind: string;
  readonly status: Status;
  readonly reason: string;
  /** ISO 8601: when the status last changed. */
  readonly since: string;
  readonly lifecycle: string;
  readonly lastCheck?: {
    readonly outcome: string;
    readonly message: string;
    readonly latencyMs: number;
    readonly at: string;
  };
  readonly parentDown?: string;
  readonly maintenance?: string;
  readonly flag?: string;
}

/** `GET /api/v1/monitors/:id`: the summary, counters and the config with secrets masked. */
export interface MonitorDetail extends MonitorSummary {
  readonly description?: string;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly support?: { readonly name: string; readonly contact?: string };
  readonly monitors: number;
}

/** A result as the live feed carries it. */
export interface LiveResult {
  readonly id: string;
  readonly outcome: string;
  readonly latencyMs: number;
  readonly at: string;
  readonly message: string;
}

/** A message of the live feed (`GET /api/v1/live`). */
export type LiveMessage =
  | { readonly type: 'snapshot'; readonly seq: number; readonly monitors: MonitorSummary[] }
  | {
      readonly type: 'delta';
      readonly seq: number;
      readonly monitors: MonitorSummary[];
      readonly results: LiveResult[];
    }
  | { readonly type: 'tick'; readonly seq: number };

/** A raw result from `GET /api/v1/monitors/:id/history` (windows up to 3 h). */
export interface RawResult {
  readonly at: number;
  readonly outcome: string;
  readonly latencyMs: number;
  readonly message: string;
  readonly phases?: Readonly<Record<string, number>>;
}

export interface Bucket {
  readonly start: number;
  readonly ok: number;
  readonly fail: number;
  readonly degraded: number;
  readonly pending: number;
  readonly latency: { avgMs: number; minMs: number; maxMs: number; p95Ms: number } | null;
}

export type History =
  | {
      readonly tier: 'raw';
      readonly from: number;
      readonly to: number;
      readonly results: RawResult[];
    }
  | {
      readonly tier: 'minute' | 'hour' | 'day';
      readonly from: number;
      readonly to: number;
      readonly stepMs: number;
      readonly buckets: Bucket[];
    };

export interface Uptime {
  readonly uptime: number | null;
  readonly observedMs: number;
  readonly downMs: number;
}

export interface Incident {
  readonly id: number;
  readonly monitorId: string;
  readonly from: Status;
  readonly to: Status;
  readonly cause: string;
  readonly reason: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

export interface AuthStatus {
  readonly setupRequired: boolean;
  readonly user?: string;
  readonly publicBoard: boolean;
}
