import type { Clock } from '@vigil/resilience';
import type { z } from 'zod';

/**
 * What one check run concluded. `ok`: healthy. `fail`: not. `degraded`: working but impaired (slow, a
 * certificate close to expiry). `pending`: unknown or in progress (a CI build still running).
 */
export const outcomes = ['ok', 'fail', 'degraded', 'pending'] as const;
export type Outcome = (typeof outcomes)[number];

/**
 * Timing phases a check may report, in ms. Kinds report the ones they have. `roundTrip`: a message sent
 * through a broker and received back (MQTT, NATS).
 */
export const phases = [
  'dns',
  'connect',
  'tls',
  'ttfb',
  'transfer',
  'query',
  'roundTrip',
  'total',
] as const;
export type Phase = (typeof phases)[number];

/** The result of one check run. A failed check is a result with a reason, never a throw. */
export interface CheckResult {
  readonly outcome: Outcome;
  /** Why, in a few words a human reads on the board: `HTTP 503 from https://api/health`, `connect ECONNREFUSED 127.0.0.1:5432`. */
  readonly message: string;
  /** Duration of the check in ms, from the check's own start (queueing before it is not counted). */
  readonly latencyMs: number;
  /** Timing phases, in ms. */
  readonly phases?: Readonly<Partial<Record<Phase, number>>>;
  /** An optional number the check measured: queue depth, days to certificate expiry, a recipe's value. */
  readonly value?: number;
  /** Small kind-specific facts: HTTP status, certificate expiry, server version. JSON-serialisable. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** What a check run receives. */
export interface CheckContext {
  /** Aborts when the check's timeout passes or the monitor stops; pass it to every I/O. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** The timeout the signal enforces, in ms (for protocol clients that take a timeout option). */
  readonly timeoutMs: number;
  readonly monitorId: string;
}

/** A configured check of one monitor, ready to run. */
export interface Check {
  /**
   * Runs the check once. Expected failures (refused, timeout, bad status, assertion failed) are returned
   * as a `fail` result with a specific message. Throwing is a crash of the monitor's task (only a user's
   * recipe is expected ever to do it): the supervisor restarts the task.
   */
  run(ctx: CheckContext): Promise<CheckResult>;
  /** Releases what the check holds between runs (a loaded module, a heartbeat subscription). */
  close?(): Promise<void>;
}

/** Services a check kind may need from the server, injected by the composition root. */
export interface CheckDeps {
  readonly clock: Clock;
  /** Directory relative paths in the config (recipe modules, CA files) resolve against. */
  readonly configDir: string;
  /** Heartbeats received for `push` monitors. */
  readonly heartbeats: HeartbeatSource;
}

/** A heartbeat a service pushed to Vigil. */
export interface Heartbeat {
  /** Wall time it arrived, ms. */
  readonly at: number;
  /** What the pusher reported (default ok). */
  readonly outcome: Outcome;
  readonly message: string;
  readonly value?: number;
}

/** Where `push` checks read the last heartbeat of their monitor. */
export interface HeartbeatSource {
  last(monitorId: string): Heartbeat | undefined;
}

/**
 * A check kind (a plug-in): its config schema and how to build a check from a validated config. Adding a
 * kind touches its folder and one line of `registry.ts`.
 */
export interface CheckKind<C = unknown> {
  /** The key of the kind's section in a monitor's config, e.g. `http`. */
  readonly name: string;
  /** One line for docs and `vigil validate` errors. */
  readonly description: string;
  /** Validates the kind's section (`monitors[i].<name>`). Errors name fields relative to the section. */
  readonly schema: z.ZodType<C>;
  /** Builds a check from a validated config. May throw a clear error for config it cannot use. */
  create(config: C, deps: CheckDeps, monitorId: string): Check | Promise<Check>;
}

/** Declares a check kind with its config type inferred from its schema. */
export function defineCheckKind<S extends z.ZodType>(
  kind: CheckKind<z.output<S>> & { readonly schema: S },
): CheckKind<z.output<S>> {
  return kind;
}
