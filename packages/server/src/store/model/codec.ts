import type { MonitorState, Outcome, Phase, Status } from '../types.js';

/**
 * Stored outcome codes. Fixed here rather than derived from the engine's `outcomes` array, so reordering
 * that array can never change the meaning of rows already written.
 */
export const outcomeCodes = [
  'ok',
  'fail',
  'degraded',
  'pending',
] as const satisfies readonly Outcome[];

/** The small integer stored for an outcome. */
export function encodeOutcome(outcome: Outcome): number {
  const code = outcomeCodes.indexOf(outcome);
  if (code < 0) throw new RangeError(`unknown outcome "${outcome}"`);
  return code;
}

/** The outcome of a stored code; unknown codes (written by a newer Vigil) read as `pending`. */
export function decodeOutcome(code: number): Outcome {
  return outcomeCodes[code] ?? 'pending';
}

/** Statuses whose periods are observed through check results (a gap in results ends them). */
export const checkedStatuses: readonly Status[] = ['up', 'down', 'degraded', 'pending'];

/** Longest message kept; longer ones are cut with an ellipsis. The board shows a few words. */
export const MAX_MESSAGE_CHARS = 500;

/** Cuts `text` to {@link MAX_MESSAGE_CHARS} (or `max`) characters, marking the cut with `…`. */
export function truncate(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** ms → whole µs, the unit latencies and phases are stored in (results carry 0.01 ms resolution). */
export function toMicros(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) : 0;
}

/** Phases in their stored bit order. Append only: a phase's bit is its index here. */
export const phaseOrder = [
  'dns',
  'connect',
  'tls',
  'ttfb',
  'transfer',
  'query',
  'total',
] as const satisfies readonly Phase[];

/**
 * Encodes timing phases compactly: a varint bit mask of the phases present, then each present phase's
 * duration as a varint of µs. A TCP check's `{ connect }` takes 3–4 bytes instead of ~20 of JSON.
 * Returns `null` when there are no phases.
 */
export function encodePhases(
  phases: Readonly<Partial<Record<Phase, number>>> | undefined,
): Uint8Array | null {
  if (phases === undefined) return null;
  let mask = 0;
  const values: number[] = [];
  phaseOrder.forEach((name, bit) => {
    const ms = phases[name];
    if (ms === undefined || !Number.isFinite(ms)) return;
    mask |= 1 << bit;
    values.push(toMicros(ms));
  });
  if (mask === 0) return null;
  const out: number[] = [];
  writeVarint(out, mask);
  for (const v of values) writeVarint(out, v);
  return Uint8Array.from(out);
}

/** Decodes {@link encodePhases}; unknown bits (a newer Vigil's phases) are skipped. */
export function decodePhases(bytes: Uint8Array | null): Partial<Record<Phase, number>> | undefined {
  if (bytes === null || bytes.length === 0) return undefined;
  const cursor = { at: 0 };
  const mask = readVarint(bytes, cursor);
  const out: Partial<Record<Phase, number>> = {};
  for (let bit = 0; bit < 31; bit++) {
    if ((mask & (1 << bit)) === 0) continue;
    const us = readVarint(bytes, cursor);
    const name = phaseOrder[bit];
    if (name !== undefined) out[name] = us / 1000;
  }
  return out;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, cursor: { at: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[cursor.at++];
    if (byte === undefined) throw new RangeError('truncated varint in stored phases');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

/** Details are stored as JSON text; `''` when there are none (so they can take part in a unique key). */
export function encodeDetails(details: Readonly<Record<string, unknown>> | undefined): string {
  return details === undefined || Object.keys(details).length === 0
    ? ''
    : truncate(JSON.stringify(details), 2000);
}

export function decodeDetails(
  text: string,
): Record<string, string | number | boolean | null> | undefined {
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, string | number | boolean | null>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a persisted `MonitorState`. Returns `undefined` for text that is not one (the monitor then starts
 * fresh); unknown fields written by a newer engine are kept. JSON has no `undefined`, so the backoff's
 * `previousDelayMs` is restored explicitly.
 */
export function decodeState(text: string): MonitorState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const numbers = ['since', 'consecutiveFailures', 'consecutiveSuccesses'];
  if (typeof s.status !== 'string' || typeof s.lifecycle !== 'string') return undefined;
  if (typeof s.reason !== 'string' || typeof s.confirmed !== 'string') return undefined;
  if (!numbers.every((k) => typeof s[k] === 'number')) return undefined;
  const backoff = s.backoff as { attempt?: unknown; previousDelayMs?: unknown } | undefined;
  if (
    typeof backoff !== 'object' ||
    (backoff as unknown) === null ||
    typeof backoff.attempt !== 'number'
  )
    return undefined;
  const previousDelayMs =
    typeof backoff.previousDelayMs === 'number' ? backoff.previousDelayMs : undefined;
  return {
    ...s,
    backoff: { attempt: backoff.attempt, previousDelayMs },
  } as unknown as MonitorState;
}
