import { z } from 'zod';
import type { FlagView } from '../../flags/index.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';

/** Where the flag routes read from: the server's flag gates (or nothing, without a `flags:` section). */
export interface FlagListing {
  list(): readonly FlagView[];
}

/** A feature flag named by `flag:` keys: its value and what it governs. */
export const flagSchema = z.object({
  flag: z.string(),
  on: z
    .boolean()
    .describe('the value in force: the flag’s, or the fallback when it cannot be evaluated'),
  evaluation: z
    .object({
      fallback: z
        .boolean()
        .describe('true when `on` is the fallback (the flag could not be evaluated)'),
      reason: z.string().optional().describe('OpenFeature resolution reason, e.g. STATIC, ERROR'),
      variant: z.string().optional(),
      error: z
        .string()
        .optional()
        .describe('why it could not be evaluated, e.g. FLAG_NOT_FOUND: …'),
      at: z.string().describe('ISO 8601: when it was evaluated'),
    })
    .optional()
    .describe('the last evaluation; absent until the first'),
  monitors: z.array(z.string()).describe('monitors it governs, by their own flag or their group’s'),
  groups: z.array(z.string()),
  notifiers: z.array(z.string()),
});
export type FlagBody = z.output<typeof flagSchema>;

const listQuery = z
  .object({
    on: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('only flags that are on (true) or off (false)'),
  })
  .strict();

const flagParams = z.object({ flag: z.string().min(1).max(256) });

export function flagView(view: FlagView): FlagBody {
  const e = view.evaluation;
  return {
    flag: view.flag,
    on: view.on,
    ...(e === undefined
      ? {}
      : {
          evaluation: {
            fallback: e.fallback,
            ...(e.reason === undefined ? {} : { reason: e.reason }),
            ...(e.variant === undefined ? {} : { variant: e.variant }),
            ...(e.errorCode === undefined
              ? {}
              : { error: `${e.errorCode}${e.errorMessage ? `: ${e.errorMessage}` : ''}` }),
            at: new Date(e.at).toISOString(),
          },
        }),
    monitors: [...view.monitors],
    groups: [...view.groups],
    notifiers: [...view.notifiers],
  };
}

/** Read routes over the feature flags that `flag:` keys name. */
export function flagRoutes(flags: FlagListing | undefined) {
  const all = (): readonly FlagView[] => flags?.list() ?? [];
  return [
    route({
      method: 'GET',
      url: '/flags',
      summary: 'List the feature flags named in the config, their values and what they govern',
      tag: 'flags',
      access: 'read',
      query: listQuery,
      response: z.array(flagSchema),
      handler: ({ query }) =>
        all()
          .filter((f) => query.on === undefined || f.on === query.on)
          .map(flagView),
    }),
    route({
      method: 'GET',
      url: '/flags/:flag',
      summary: 'One feature flag: its value, last evaluation and what it governs',
      tag: 'flags',
      access: 'read',
      params: flagParams,
      response: flagSchema,
      errors: [404],
      handler: ({ params }) => {
        const found = all().find((f) => f.flag === params.flag);
        if (found === undefined) throw notFound(`flag "${params.flag}" (no flag: key names it)`);
        return flagView(found);
      },
    }),
  ];
}
