import { z } from 'zod';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An HTTP header name (`X-Signature`); anything else is refused in config. */
export const headerName = z
  .string()
  .regex(HEADER_NAME, { message: 'is not a valid HTTP header name' });

/** Custom headers: name → value; a bad name or a value with CR/LF is reported under its own key. */
export const headerRecord = z.record(z.string(), z.string()).superRefine((headers, ctx) => {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid HTTP header name' });
    if (/[\r\n\0]/.test(value))
      ctx.addIssue({ code: 'custom', path: [name], message: 'must not contain CR, LF or NUL' });
  }
});
