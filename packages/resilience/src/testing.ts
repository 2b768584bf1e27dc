/**
 * Test helpers of @vigil/resilience: a virtual clock and seeded randomness, so time-based code is tested
 * exactly and fast.
 * @packageDocumentation
 */
export { FakeClock } from './clock/fake-clock.js';
export type { FakeClockOptions, RunAllOptions } from './clock/fake-clock.js';
export { seededRandom } from './clock/seeded-random.js';
