import type { EvaluationContext } from '@openfeature/server-sdk';
import type { ChildStatus, Exit, RestartWindow, TaskHandle } from '../supervision/index.js';
import type { FlagEvaluation } from './evaluation.js';
import type { NormalizedFlagChildSpec } from './options.js';

/** A child that crashed past its restart intensity: it stays down until its flag is cycled. */
export interface FlagCrash {
  /** Its last exit (`crashed` with the error, or `normal`/`shutdown` when it kept returning). */
  readonly exit: Exit;
  /** Wall time of the crash, ms since the epoch. */
  readonly at: number;
  /** Restarts it had within this run of the child before giving up. */
  readonly restarts: number;
}

/**
 * Where a flag child stands. `pending`: its flag has not been evaluated yet (or it waits for a previous
 * child of the same id to finish stopping). `starting`, `running`, `stopping`: its task's state.
 * `disabled`: its flag is off. `crashed`: it crashed past its intensity and stays down until its flag is
 * cycled. `stopped`: the flag supervisor itself is not running.
 */
export const flagChildStates = [
  'pending',
  'starting',
  'running',
  'stopping',
  'disabled',
  'crashed',
  'stopped',
] as const;
export type FlagChildState = (typeof flagChildStates)[number];

/** One flag child as `getChild`, `whichChildren` and `flags()` report it. */
export interface FlagChildInfo {
  readonly id: string;
  /** The flag key that governs it. */
  readonly flag: string;
  readonly context: EvaluationContext | undefined;
  readonly state: FlagChildState;
  /** The flag value acted on, once evaluated. */
  readonly flagOn: boolean | undefined;
  /** The last evaluation of its flag (value, reason, error code when it fell back). */
  readonly evaluation: FlagEvaluation | undefined;
  /** Set while the child is crashed. */
  readonly crash: FlagCrash | undefined;
  /** Restarts within the current run of the child. */
  readonly restarts: number;
}

/** Every child one flag governs, as `flags()` reports them. */
export interface FlagInfo {
  readonly flag: string;
  readonly children: readonly FlagChildInfo[];
}

/** Children that share an evaluation: same flag, context and fallback. */
export interface EvaluationGroup {
  readonly key: string;
  readonly flag: string;
  readonly context: EvaluationContext | undefined;
  readonly fallback: boolean;
  readonly children: Set<FlagChild>;
  /** The latest evaluation applied, and the sequence number of the evaluation it came from. */
  value: FlagEvaluation | undefined;
  seq: number;
  /** An evaluation of just this group in flight (so many `addChild` calls share one). */
  pending: Promise<void> | undefined;
}

/** The supervisor's record of one child. */
export interface FlagChild {
  readonly spec: NormalizedFlagChildSpec;
  readonly group: EvaluationGroup;
  handle: TaskHandle | undefined;
  status: ChildStatus;
  crash: FlagCrash | undefined;
  window: RestartWindow | undefined;
  restarts: number;
  /** The evaluation this child last acted on, to tell when its flag changed. */
  seen: FlagEvaluation | undefined;
  /** Set while a stop is under way. */
  stopping: Promise<Exit> | undefined;
  removed: boolean;
}

export function newGroup(spec: NormalizedFlagChildSpec): EvaluationGroup {
  return {
    key: spec.evaluationKey,
    flag: spec.flag,
    context: spec.context,
    fallback: spec.fallback,
    children: new Set(),
    value: undefined,
    seq: 0,
    pending: undefined,
  };
}

export function newChild(spec: NormalizedFlagChildSpec, group: EvaluationGroup): FlagChild {
  return {
    spec,
    group,
    handle: undefined,
    status: 'stopped',
    crash: undefined,
    window: undefined,
    restarts: 0,
    seen: undefined,
    stopping: undefined,
    removed: false,
  };
}

function stateOf(child: FlagChild, supervisorRunning: boolean): FlagChildState {
  if (child.status !== 'stopped') return child.status;
  if (!supervisorRunning) return 'stopped';
  if (child.crash !== undefined) return 'crashed';
  if (child.group.value?.on === false) return 'disabled';
  return 'pending';
}

export function flagChildInfo(child: FlagChild, supervisorRunning: boolean): FlagChildInfo {
  const evaluation = child.group.value;
  return {
    id: child.spec.id,
    flag: child.spec.flag,
    context: child.spec.context,
    state: stateOf(child, supervisorRunning),
    flagOn: evaluation?.on,
    evaluation,
    crash: child.crash,
    restarts: child.restarts,
  };
}
