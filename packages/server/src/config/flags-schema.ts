import { z } from 'zod';
import { duration } from './duration.js';

/** A feature-flag key, as a `flag:` key names it: any text without spaces (flagd and LaunchDarkly keys fit). */
export const flagKey = z
  .string()
  .regex(/^\S{1,256}$/, 'a flag key is 1–256 characters without spaces, e.g. monitor.payments');

/** The flag providers the server can build; the file provider is embedded (no flag service needed). */
export const flagProviderNames = ['file'] as const;

/**
 * The `flags:` section: where feature flags come from and how they are evaluated. Monitors, groups and
 * notifiers name a flag with `flag:`; while it is off they do not run.
 */
export const flagsSchema = z
  .object({
    /** `file`: flags from a YAML or JSON file, reloaded when it changes. */
    provider: z.enum(flagProviderNames).default('file'),
    /** The flag file (file provider), relative to the config file's directory. */
    path: z.string().min(1),
    /** The value of a flag that cannot be evaluated (provider down, flag missing). Default true: fail open. */
    fallback: z.boolean().default(true),
    /** Every flag is evaluated again this often, besides the provider's change events. Default 1s. */
    pollInterval: duration({ min: 100 }).default(1000),
    /** An evaluation slower than this counts as unavailable (the fallback applies). Default 5s. */
    evaluationTimeout: duration({ min: 10, max: 60_000 }).default(5000),
  })
  .strict();

export type FlagsSection = z.output<typeof flagsSchema>;
