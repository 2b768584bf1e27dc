import { BackoffPolicy, checkMs, jitterKinds, spread, type Jitter } from './policy.js';

/** The same delay every time. */
export function constant(delayMs: number): BackoffPolicy {
  checkMs('constant', 'delayMs', delayMs, false);
  return new BackoffPolicy(() => delayMs, `constant(${delayMs}ms)`);
}

/** Options of {@link linear}. */
export interface LinearOptions {
  /** First delay in ms. */
  readonly initialMs: number;
  /** Added per attempt, in ms. Default `initialMs`. */
  readonly stepMs?: number;
  /** Cap in ms. Default no cap. */
  readonly maxMs?: number;
}

/** `initialMs + stepMs × (attempt − 1)`, capped at `maxMs`. */
export function linear(options: LinearOptions): BackoffPolicy {
  const { initialMs, stepMs = initialMs, maxMs = Infinity } = options;
  checkMs('linear', 'initialMs', initialMs, false);
  checkMs('linear', 'stepMs', stepMs, false);
  checkMs('linear', 'maxMs', maxMs);
  return new BackoffPolicy(
    (attempt) => Math.min(maxMs, initialMs + stepMs * (attempt - 1)),
    `linear(${initialMs}ms +${stepMs}ms ≤ ${maxMs}ms)`,
  );
}

/** Options of {@link exponential}. */
export interface ExponentialOptions {
  /** First delay (the AWS article's `base`), in ms. */
  readonly initialMs: number;
  /** Growth per attempt. Default 2. Ignored by the decorrelated kinds, which grow by up to ×3. */
  readonly factor?: number;
  /** Cap in ms (the article's `cap`). Default 30,000. */
  readonly maxMs?: number;
  /**
   * Default `none`. With `d = min(cap, base × factor^(attempt−1))`:
   * `full` → uniform in [0, d]; `equal` → d/2 + uniform in [0, d/2];
   * `decorrelated` → min(cap, uniform in [base, previous × 3]) (the article's formula; it bunches at
   * the cap once previous × 3 passes it); `decorrelated-spread` → uniform in [base, min(cap, previous × 3)],
   * the same walk without the pile-up at the cap.
   */
  readonly jitter?: Jitter;
}

/** Exponential backoff with optional jitter, after the AWS "Exponential Backoff and Jitter" article. */
export function exponential(options: ExponentialOptions): BackoffPolicy {
  const { initialMs, factor = 2, maxMs = 30_000, jitter = 'none' } = options;
  checkMs('exponential', 'initialMs', initialMs, false);
  checkMs('exponential', 'maxMs', maxMs);
  if (!(typeof factor === 'number' && factor >= 1 && Number.isFinite(factor))) {
    throw new RangeError(`exponential: factor must be a finite number >= 1, got ${String(factor)}`);
  }
  if (!(jitterKinds as readonly string[]).includes(jitter)) {
    throw new RangeError(
      `exponential: unknown jitter "${jitter}"; use one of ${jitterKinds.join(', ')}`,
    );
  }
  if (initialMs > maxMs) {
    throw new RangeError(`exponential: initialMs (${initialMs}) must not exceed maxMs (${maxMs})`);
  }
  const describe = `exponential(${initialMs}ms ×${factor} ≤ ${maxMs}ms${jitter === 'none' ? '' : `, ${jitter} jitter`})`;
  if (jitter === 'decorrelated' || jitter === 'decorrelated-spread') {
    return new BackoffPolicy((_attempt, { previousDelayMs, random }) => {
      const upper = Math.max(initialMs, (previousDelayMs ?? initialMs) * 3);
      if (jitter === 'decorrelated') {
        return Math.min(maxMs, initialMs + random.next() * (upper - initialMs));
      }
      const capped = Math.min(maxMs, upper);
      return initialMs + random.next() * (capped - initialMs);
    }, describe);
  }
  return new BackoffPolicy((attempt, { random }) => {
    const d = Math.min(maxMs, initialMs * factor ** (attempt - 1));
    return jitter === 'none' ? d : spread(jitter, d, random);
  }, describe);
}
