import type { RedisInfo } from '@vigil/resilience';
import type { InfoAssertion } from './schema.js';

/** The value of `field` (`section.field`, or a field looked up in every section). */
export function infoField(info: RedisInfo, field: string): string | undefined {
  const dot = field.indexOf('.');
  if (dot > 0) return info[field.slice(0, dot)]?.[field.slice(dot + 1)];
  for (const section of Object.values(info)) if (field in section) return section[field];
  return undefined;
}

/** What one assertion found: undefined when it holds, else why not. */
export function checkAssertion(info: RedisInfo, a: InfoAssertion): string | undefined {
  const raw = infoField(info, a.field);
  if (raw === undefined) return `INFO has no field ${a.field}`;
  if (a.equals !== undefined) {
    return raw === String(a.equals)
      ? undefined
      : `${a.field} is ${JSON.stringify(raw)}, expected ${JSON.stringify(String(a.equals))}`;
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) return `${a.field} is ${JSON.stringify(raw)}, not a number`;
  if (a.min !== undefined && n < a.min) return `${a.field} is ${n}, expected at least ${a.min}`;
  if (a.max !== undefined && n > a.max) return `${a.field} is ${n}, expected at most ${a.max}`;
  return undefined;
}
