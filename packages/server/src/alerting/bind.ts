import type { NotifierConfig } from '../config/index.js';
import type { BoundNotifier } from './delivery/index.js';
import type { Notifier } from './notifier.js';

/**
 * Pairs each configured notifier with its implementation. Config loading has already refused unknown
 * types; one missing here means the config was validated against other types, and throws.
 */
export function bindNotifiers(
  configs: readonly NotifierConfig[],
  types: Readonly<Record<string, Notifier>>,
): Map<string, BoundNotifier> {
  const bound = new Map<string, BoundNotifier>();
  for (const config of configs) {
    const notifier = Object.hasOwn(types, config.type) ? types[config.type] : undefined;
    if (notifier === undefined)
      throw new TypeError(`notifier "${config.id}": no notifier type "${config.type}"`);
    bound.set(config.id, { notifier, config });
  }
  return bound;
}
