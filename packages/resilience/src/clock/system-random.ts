import type { Random } from './clock.js';

/** `Math.random` as a {@link Random}: the production source of jitter. */
export const systemRandom: Random = Object.freeze({ next: () => Math.random() });
