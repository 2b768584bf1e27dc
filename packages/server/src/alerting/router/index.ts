export { AlertRouter, createAlertRouter } from './router.js';
export type { AlertRouterOptions } from './router.js';
export { ruleMatches } from './match.js';
export { titleOf } from './title.js';
