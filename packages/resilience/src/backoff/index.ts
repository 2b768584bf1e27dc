export { BackoffPolicy, policy, jitterKinds, simpleJitterKinds } from './policy.js';
export type { BackoffContext, BackoffDecision, Jitter, SimpleJitter } from './policy.js';
export { constant, linear, exponential } from './factories.js';
export type { LinearOptions, ExponentialOptions } from './factories.js';
export { createBackoff, previewDelays } from './backoff.js';
export type { Backoff, BackoffOptions, BackoffState } from './backoff.js';
export { retry } from './retry.js';
export type { RetryOptions, RetryEvent, AttemptContext } from './retry.js';
