import type { Notifier } from '../notifier.js';
import { webhook } from './webhook/index.js';

/**
 * Every built-in notifier, by its config `type`. Adding one touches its folder and one line here.
 */
export const notifierTypes = {
  webhook,
} satisfies Record<string, Notifier>;

export type NotifierType = keyof typeof notifierTypes;
