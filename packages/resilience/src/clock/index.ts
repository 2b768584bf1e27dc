export type { Clock, Random, Timer } from './clock.js';
export { systemClock } from './system-clock.js';
export { systemRandom } from './system-random.js';
export { seededRandom } from './seeded-random.js';
