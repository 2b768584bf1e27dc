import type { Outcome } from '../check-kind.js';

/**
 * What a pusher sent, as the HTTP layer received it (query string or JSON body): all optional, strings or
 * numbers. Mirrors Uptime Kuma's push URL (`?status=down&msg=disk%20full&ping=12`; `ping` maps to `value`).
 */
export interface HeartbeatInput {
  /** `up`/`ok` (default), `down`/`fail`, `degraded` or `pending`, case-insensitive. */
  readonly status?: string | undefined;
  /** A short message; control characters are replaced and it is cut to {@link MAX_MESSAGE_CHARS}. */
  readonly msg?: string | undefined;
  /** A number the pusher measured (duration of a job, rows processed), as a number or numeric text. */
  readonly value?: string | number | undefined;
}

/** Longest heartbeat message kept, in characters. */
export const MAX_MESSAGE_CHARS = 500;

const STATUS: Readonly<Record<string, Outcome>> = {
  up: 'ok',
  ok: 'ok',
  down: 'fail',
  fail: 'fail',
  degraded: 'degraded',
  pending: 'pending',
};

/** A heartbeat's validated content, or why it is refused. */
export type ParsedInput =
  | {
      readonly ok: true;
      readonly outcome: Outcome;
      readonly message: string;
      readonly value?: number;
    }
  | { readonly ok: false; readonly message: string };

/** Validates and limits a heartbeat's input. */
export function parseHeartbeatInput(input: HeartbeatInput): ParsedInput {
  const status = (input.status ?? '').trim().toLowerCase();
  const outcome = status === '' ? 'ok' : STATUS[status];
  if (outcome === undefined)
    return { ok: false, message: `status must be one of ${Object.keys(STATUS).join(', ')}` };
  const value = parseValue(input.value);
  if (Number.isNaN(value))
    return { ok: false, message: `value must be a number, got ${quote(String(input.value))}` };
  const message = cleanMessage(input.msg ?? '');
  return value === undefined
    ? { ok: true, outcome, message }
    : { ok: true, outcome, message, value };
}

/** `undefined` when absent, `NaN` when not a finite number. */
function parseValue(value: string | number | undefined): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  return Number.isFinite(n) ? n : Number.NaN;
}

function cleanMessage(text: string): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS - 1)}…` : clean;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
}
