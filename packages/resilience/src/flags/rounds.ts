import type { Clock } from '../clock/index.js';
import { TIMED_OUT, evaluateFlag, timedOut, type FlagEvaluation } from './evaluation.js';
import type { EvaluationGroup } from './flag-child.js';
import type { NormalizedFlagOptions } from './options.js';
import { runRound } from './round.js';

/** What the rounds need from their run. */
export interface RoundsHost {
  readonly options: NormalizedFlagOptions;
  readonly clock: Clock;
  readonly groups: ReadonlyMap<string, EvaluationGroup>;
  isActive(): boolean;
  /** An answer for `group`, from the evaluation numbered `seq` (numbered as they start). */
  apply(group: EvaluationGroup, seq: number, evaluation: FlagEvaluation): void;
}

/**
 * Schedules the evaluation rounds of one run. Full rounds (every flag: at start, on each poll and change
 * event) never overlap: a request during a round queues one more after it, and requests while one is
 * queued join it. Flags a change event names are evaluated at once in an urgent round of their own, and a
 * full round under way gives way to it, so a change never waits behind thousands of unchanged flags.
 */
export class Rounds {
  #seq = 0;
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  readonly #urgent = new Set<Promise<void>>();

  constructor(readonly host: RoundsHost) {}

  /**
   * Evaluates every flag, `first` (the flags a change event names) at once and ahead of the rest. The full
   * round still follows: providers leave deleted flags out of their list, or send none. Resolves when a full
   * round that began after the request ends.
   */
  requestFull(first?: ReadonlySet<string>): Promise<void> {
    const named = first === undefined ? undefined : this.evaluateNow(this.#groupsOf(first));
    if (this.#queued !== undefined) return this.#queued;
    const before = this.#current ?? named;
    if (before === undefined) return this.#startFull();
    const queued = before.then(() => {
      this.#queued = undefined;
      return this.#startFull();
    });
    this.#queued = queued;
    return queued;
  }

  #startFull(): Promise<void> {
    if (!this.host.isActive()) return Promise.resolve();
    const round = this.#evaluate([...this.host.groups.values()], true).finally(() => {
      if (this.#current === round) this.#current = undefined;
    });
    this.#current = round;
    return round;
  }

  /** Evaluates `groups` now, in an urgent round: a full round under way waits while it runs. */
  evaluateNow(groups: readonly EvaluationGroup[]): Promise<void> {
    const round = this.#evaluate(groups, false).finally(() => this.#urgent.delete(round));
    this.#urgent.add(round);
    return round;
  }

  async #evaluate(groups: readonly EvaluationGroup[], full: boolean): Promise<void> {
    const { options, clock } = this.host;
    const giveWay = (): Promise<unknown> | undefined =>
      this.#urgent.size === 0 ? undefined : Promise.all(this.#urgent);
    const skipped = await runRound(groups, (group) => this.#evaluateGroup(group), {
      concurrency: options.concurrency,
      clock,
      isActive: () => this.host.isActive(),
      ...(full ? { giveWay } : {}),
    });
    const at = clock.now();
    for (const group of skipped) {
      this.host.apply(
        group,
        ++this.#seq,
        timedOut(group.fallback, options.evaluationTimeoutMs, at),
      );
    }
  }

  async #evaluateGroup(group: EvaluationGroup): Promise<boolean> {
    const { options, clock } = this.host;
    const seq = ++this.#seq;
    const result = await evaluateFlag(
      options.client,
      group.flag,
      group.context,
      group.fallback,
      clock,
      options.evaluationTimeoutMs,
    );
    if (result === TIMED_OUT) {
      this.host.apply(
        group,
        seq,
        timedOut(group.fallback, options.evaluationTimeoutMs, clock.now()),
      );
      return false;
    }
    this.host.apply(group, seq, result);
    return true;
  }

  #groupsOf(flags: ReadonlySet<string>): EvaluationGroup[] {
    return [...this.host.groups.values()].filter((group) => flags.has(group.flag));
  }
}
