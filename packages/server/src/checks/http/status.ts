import { z } from 'zod';

/** An inclusive range of status codes, with how the config wrote it (`200`, `2xx`, `200-204`). */
export interface StatusRange {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

const HINT = 'write a status code (200), a class ("2xx") or a range ("200-299")';

function parseStatus(value: number | string): StatusRange | undefined {
  const text = String(value).trim();
  const cls = /^([1-5])xx$/i.exec(text);
  if (cls !== null) {
    const from = Number(cls[1]) * 100;
    return { from, to: from + 99, text: text.toLowerCase() };
  }
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  const [from, to] =
    range === null ? [Number(text), Number(text)] : [Number(range[1]), Number(range[2])];
  const valid = Number.isInteger(from) && from >= 100 && to <= 599 && from <= to;
  return valid ? { from, to, text: from === to ? String(from) : `${from}-${to}` } : undefined;
}

const item = z.union([z.number(), z.string()]);

/** The statuses a response may have: one code, class or range, or a list of them. */
export const statusSchema = z.union([item, z.array(item).min(1)]).transform((value, ctx) => {
  const items = Array.isArray(value) ? value : [value];
  const ranges: StatusRange[] = [];
  items.forEach((entry, index) => {
    const range = parseStatus(entry);
    if (range !== undefined) ranges.push(range);
    else
      ctx.addIssue({
        code: 'custom',
        path: Array.isArray(value) ? [index] : [],
        message: `${JSON.stringify(entry)} is not a status; ${HINT}`,
      });
  });
  return ranges;
});

/** The default: any 2xx or 3xx (after redirects, when they are followed). */
export const defaultStatuses: readonly StatusRange[] = [{ from: 200, to: 399, text: '2xx or 3xx' }];

export const statusMatches = (ranges: readonly StatusRange[], code: number): boolean =>
  ranges.some((r) => code >= r.from && code <= r.to);

/** `200`, `2xx or 301`, `200, 204 or 3xx`. */
export function describeStatuses(ranges: readonly StatusRange[]): string {
  const texts = ranges.map((r) => r.text);
  return texts.length === 1
    ? (texts[0] ?? '')
    : `${texts.slice(0, -1).join(', ')} or ${texts.at(-1) ?? ''}`;
}
