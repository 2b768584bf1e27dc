import { flagKey } from './flags-schema.js';
import { z } from 'zod';
import { duration } from './duration.js';

const idOf = (what: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
      `${what} ids are 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );

/** Keys every `notifiers:` entry may carry besides its type's own keys. */
export const commonNotifierKeys = ['id', 'type', 'flag', 'timeout', 'concurrency', 'rateLimit'];

/**
 * One entry of `notifiers:`: the common keys; the rest is the type's own config, validated by the
 * notifier's schema in `loadConfig` (so its errors name their path and line too).
 */
export const notifierEntrySchema = z
  .object({
    id: idOf('notifier'),
    type: z.string().min(1),
    /** A feature flag: while it is off, the notifier's deliveries wait. */
    flag: flagKey.optional(),
    /** Per send, default 10 s. */
    timeout: duration({ min: 100, max: 300_000 }).optional(),
    /** Sends in flight at once, default 4. */
    concurrency: z.int().min(1).max(64).optional(),
    /** At most `max` messages per `per`. */
    rateLimit: z
      .object({ max: z.int().min(1).max(100_000), per: duration({ min: 1000 }) })
      .strict()
      .optional(),
  })
  .catchall(z.unknown());

/** What a rule can alert on, as written in `alerts[].events`. */
export const alertEventNames = [
  'down',
  'up',
  'degraded',
  'flapping',
  'certificate',
  'reminder',
] as const;
export type AlertEventName = (typeof alertEventNames)[number];

const names = z.array(z.string().min(1)).min(1);

/** One routing rule of `alerts:`. */
export const alertRuleSchema = z
  .object({
    name: idOf('alert rule'),
    /** Every key given must match (monitor id, group, or one of the tags); none given matches all. */
    match: z
      .object({ monitors: names.optional(), groups: names.optional(), tags: names.optional() })
      .strict()
      .default({}),
    notifiers: z.array(z.string().min(1)).min(1),
    events: z.array(z.enum(alertEventNames)).min(1).optional(),
    /** Events of this rule within this time go out as one message; 0 sends each at once. */
    groupWait: duration({ max: 3_600_000 }).default(0),
    /** While a monitor stays down, say so again this often. */
    remindEvery: duration({ min: 60_000 }).optional(),
    /** `transitions` status changes within `window` → one flapping alert, resolved after a quiet window. */
    flapping: z
      .object({ transitions: z.int().min(2).max(1000), window: duration({ min: 1000 }) })
      .strict()
      .optional(),
    /** Alert when a certificate has this many days left or fewer. Default 14. */
    certificateDays: z.number().min(0).max(3650).default(14),
  })
  .strict();

export type RawNotifierEntry = z.output<typeof notifierEntrySchema>;
export type RawAlertRule = z.output<typeof alertRuleSchema>;

/** A `notifiers:` entry, validated: common settings plus the type's own `settings`. */
export interface NotifierConfig {
  readonly id: string;
  readonly type: string;
  readonly flag?: string;
  /** Per send, ms. */
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly rateLimit?: { readonly max: number; readonly perMs: number };
  /** The type's own keys, as its schema output them. */
  readonly settings: unknown;
}

/** An `alerts:` rule, validated, with defaults applied. */
export interface AlertRuleConfig {
  readonly name: string;
  readonly match: {
    readonly monitors?: readonly string[] | undefined;
    readonly groups?: readonly string[] | undefined;
    readonly tags?: readonly string[] | undefined;
  };
  readonly notifiers: readonly string[];
  readonly events: readonly AlertEventName[];
  /** 0: no grouping. */
  readonly groupWaitMs: number;
  readonly remindEveryMs?: number;
  readonly flapping?: { readonly transitions: number; readonly windowMs: number };
  readonly certificateDays: number;
}
