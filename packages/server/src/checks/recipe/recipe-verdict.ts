import { z } from 'zod';
import { outcomes } from '../check-kind.js';
import type { RecipeVerdict } from './define-recipe.js';

/** Longest recipe message kept, in characters. */
export const MAX_RECIPE_MESSAGE = 500;

const verdictSchema = z.union([
  z.enum(outcomes),
  z
    .object({
      outcome: z.enum(outcomes),
      message: z.string().optional(),
      value: z.number().optional(),
    })
    .strict(),
]);

/** What `handleResponse` returned, as a verdict; `undefined` when it is not one. */
export function toVerdict(returned: unknown): RecipeVerdict | undefined {
  const parsed = verdictSchema.safeParse(returned);
  if (!parsed.success) return undefined;
  const verdict = typeof parsed.data === 'string' ? { outcome: parsed.data } : parsed.data;
  const message = verdict.message?.trim();
  return {
    outcome: verdict.outcome,
    ...(message === undefined || message === ''
      ? {}
      : {
          message:
            message.length > MAX_RECIPE_MESSAGE
              ? `${message.slice(0, MAX_RECIPE_MESSAGE - 1)}…`
              : message,
        }),
    ...(verdict.value === undefined ? {} : { value: verdict.value }),
  };
}

/** A short rendering of an unexpected return value, for the error that reports it. */
export function preview(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null)
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
