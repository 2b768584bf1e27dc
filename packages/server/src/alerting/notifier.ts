import type { Clock } from '@vigil/resilience';
import type { z } from 'zod';
import type { AlertMessage } from './alert.js';

/** What a send receives besides its payload and config. */
export interface SendContext {
  /** Aborts at the notifier's timeout or on shutdown; pass it to every I/O. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

/**
 * How a delivery attempt went. A failure says whether trying again may help (a 5xx or a timeout: yes; a
 * 400 or a bad token: no) and, for a 429 or a 503 with `Retry-After`, when to try again.
 */
export type SendResult =
  | { readonly ok: true; readonly detail?: string }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      /** What went wrong, with the endpoint's host (never a token or a secret URL path). */
      readonly error: string;
      /** HTTP status, when there was one. */
      readonly status?: number;
      /** The receiver asked us to wait this long (Retry-After), ms. */
      readonly retryAfterMs?: number;
    };

/**
 * An alert channel (a plug-in): its config schema, a pure `render` from an alert message to the payload(s)
 * the channel takes, and a `send` of one payload. Adding one touches its folder (`notifiers/<type>/`) and
 * one line of the registry. Endpoints are configurable so tests point them at local receivers.
 */
export interface Notifier<C = unknown, P = unknown> {
  /** The `type` of a notifier in the config, e.g. `pagerduty`. */
  readonly type: string;
  readonly description: string;
  /** Validates one entry of `notifiers:` (besides the common `id`, `type`, `flag`, … keys). */
  readonly schema: z.ZodType<C>;
  /**
   * Turns a message into what is sent, without I/O: one payload, or several when the channel needs one
   * per event (PagerDuty pairs trigger and resolve per dedup key). Pure and deterministic, so it is tested
   * on its own and the payload can be stored.
   */
  render(message: AlertMessage, config: C): readonly P[];
  /** Sends one payload. Never throws for an expected failure: it returns one. */
  send(payload: P, config: C, ctx: SendContext): Promise<SendResult>;
}

/** Declares a notifier with its config type inferred from its schema. */
export function defineNotifier<S extends z.ZodType, P>(
  notifier: Notifier<z.output<S>, P> & { readonly schema: S },
): Notifier<z.output<S>, P> {
  return notifier;
}
