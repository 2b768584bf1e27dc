import type { Outcome, Phase } from '../src/checks/index.js';
import type {
  ChangeCause,
  ChangeEvent,
  CheckedEvent,
  MonitorState,
  Status,
} from '../src/engine/types.js';
export declare function state(
  status: Status,
  at: number,
  extra?: Partial<MonitorState>,
): MonitorState;
export interface ResultSpec {
  readonly outcome?: Outcome;
  readonly latencyMs?: number;
  readonly status?: Status;
  readonly message?: string;
  readonly details?: Record<string, string | number | boolean | null>;
  readonly phases?: Partial<Record<Phase, number>>;
  readonly value?: number;
  readonly state?: MonitorState;
}
export declare function checked(monitorId: string, at: number, spec?: ResultSpec): CheckedEvent;
export declare function changed(
  monitorId: string,
  from: Status,
  to: Status,
  at: number,
  cause?: ChangeCause,
  st?: MonitorState,
): ChangeEvent;
export declare const SECOND = 1000;
export declare const MINUTE = 60000;
export declare const HOUR = 3600000;
export declare const DAY = 86400000;
