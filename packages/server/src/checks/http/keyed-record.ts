import { z } from 'zod';

/**
 * A record whose keys are checked by `keyProblem` and values by `value`, reporting every bad key and
 * value at once in key order (a zod record stops at value errors before refining keys, and reports a
 * bad key only as "Invalid key in record").
 */
export function keyedRecord<T extends z.ZodType>(
  keyProblem: (key: string) => string | undefined,
  value: T,
) {
  return z.record(z.string(), z.unknown()).transform((record, ctx) => {
    const out: Record<string, z.output<T>> = {};
    for (const [key, raw] of Object.entries(record)) {
      const problem = keyProblem(key);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      const parsed = value.safeParse(raw);
      if (parsed.success) out[key] = parsed.data;
      else
        for (const issue of parsed.error.issues)
          ctx.addIssue({ ...issue, path: [key, ...issue.path] });
    }
    return out;
  });
}
