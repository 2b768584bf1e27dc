import type { Notifier } from '../notifier.js';

/**
 * Every built-in notifier, by its config `type`. Adding one touches its folder and one line here.
 */
export const notifierTypes = {} satisfies Record<string, Notifier>;

export type NotifierType = keyof typeof notifierTypes;
