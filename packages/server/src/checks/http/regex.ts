import { z } from 'zod';

/** A regular expression in config (JavaScript syntax, no slashes), refused when it does not compile. */
export const regexSchema = z
  .string()
  .min(1)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );
