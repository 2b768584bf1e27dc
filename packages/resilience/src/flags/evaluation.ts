import type { EvaluationContext, EvaluationDetails } from '@openfeature/server-sdk';
import type { Clock } from '../clock/index.js';
import {
  EVALUATION_TIMEOUT,
  GENERAL,
  TYPE_MISMATCH,
  reasons,
  type FlagClient,
} from './openfeature.js';

/** The outcome of evaluating one child's flag, as the supervisor acts on it. */
export interface FlagEvaluation {
  /** The value acted on: the flag's, or the fallback when it could not be evaluated. */
  readonly on: boolean;
  /** True when `on` is the fallback: the flag could not be evaluated, or is disabled in the provider. */
  readonly fallback: boolean;
  /** The OpenFeature resolution reason (`STATIC`, `TARGETING_MATCH`, `DISABLED`, `ERROR`, …). */
  readonly reason?: string;
  readonly variant?: string;
  /** Why the flag could not be evaluated: an OpenFeature error code, or `EVALUATION_TIMEOUT`. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Wall time of the evaluation, ms since the epoch. */
  readonly at: number;
}

/** The fallback evaluation of a flag that could not be evaluated. */
export function unavailable(
  on: boolean,
  errorCode: string,
  errorMessage: string,
  at: number,
): FlagEvaluation {
  return { on, fallback: true, reason: reasons.ERROR, errorCode, errorMessage, at };
}

function fromDetails(
  details: EvaluationDetails<boolean>,
  fallback: boolean,
  at: number,
): FlagEvaluation {
  if (typeof details.value !== 'boolean') {
    return unavailable(
      fallback,
      TYPE_MISMATCH,
      `flag value is ${typeof details.value}, not boolean`,
      at,
    );
  }
  const usedDefault = details.errorCode !== undefined || details.reason === reasons.DISABLED;
  const on = usedDefault ? fallback : details.value;
  const out: { -readonly [K in keyof FlagEvaluation]: FlagEvaluation[K] } = {
    on,
    fallback: usedDefault,
    at,
  };
  if (details.reason !== undefined) out.reason = details.reason;
  if (details.variant !== undefined) out.variant = details.variant;
  if (details.errorCode !== undefined) out.errorCode = details.errorCode;
  if (details.errorMessage !== undefined) out.errorMessage = details.errorMessage;
  return out;
}

/** Returned by {@link evaluateFlag} when the evaluation did not answer in time. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Evaluates one boolean flag. Never rejects: an SDK that throws (a conforming one never does) gives the
 * fallback with `GENERAL`; no answer within `timeoutMs` gives {@link TIMED_OUT}.
 */
export function evaluateFlag(
  client: FlagClient,
  flag: string,
  context: EvaluationContext | undefined,
  fallback: boolean,
  clock: Clock,
  timeoutMs: number,
): Promise<FlagEvaluation | typeof TIMED_OUT> {
  let pending: Promise<EvaluationDetails<boolean>>;
  try {
    pending = client.getBooleanDetails(flag, fallback, context);
  } catch (error) {
    pending = Promise.reject(error);
  }
  const answered = pending.then(
    (details) => fromDetails(details, fallback, clock.now()),
    (error: unknown) =>
      unavailable(
        fallback,
        GENERAL,
        `evaluation threw: ${error instanceof Error ? error.message : String(error)}`,
        clock.now(),
      ),
  );
  if (timeoutMs === Infinity) return answered;
  return new Promise((resolve) => {
    const timer = clock.setTimer(timeoutMs, () => resolve(TIMED_OUT));
    void answered.then((evaluation) => {
      timer.cancel();
      resolve(evaluation);
    });
  });
}

/** The evaluation of a flag that did not answer within `timeoutMs`, or was not asked after one did not. */
export function timedOut(on: boolean, timeoutMs: number, at: number): FlagEvaluation {
  return unavailable(
    on,
    EVALUATION_TIMEOUT,
    `the provider did not answer within ${timeoutMs} ms (evaluationTimeoutMs)`,
    at,
  );
}
