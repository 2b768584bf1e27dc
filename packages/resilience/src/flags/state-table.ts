/**
 * What a flag supervisor does with one child, given its flag, whether it crashed and whether it runs:
 * `start` it; `stop` it (which also forgets a crash); `forget-crash` (it is down and its flag is off, so
 * the next "on" starts it afresh); `adopt` (it runs although a crash was recorded — a race — so keep it
 * and forget the crash); `none`.
 */
export const flagActions = ['start', 'stop', 'forget-crash', 'adopt', 'none'] as const;
export type FlagAction = (typeof flagActions)[number];

/**
 * The flag supervisor's state table — the one place its decision is made:
 *
 * | flag | crashed | running | action |
 * |---|---|---|---|
 * | on | no | no | `start` |
 * | off | any | yes | `stop` |
 * | off | yes | no | `forget-crash` |
 * | on | yes | yes | `adopt` |
 * | any other combination | | | `none` |
 *
 * `on, crashed, not running` is `none` on purpose: a child that crashed past its restart intensity stays
 * down until its flag is cycled off (which forgets the crash) and on again, or the supervisor restarts.
 */
export function flagAction(flagOn: boolean, crashed: boolean, running: boolean): FlagAction {
  if (flagOn) {
    if (!crashed && !running) return 'start';
    if (crashed && running) return 'adopt';
    return 'none';
  }
  if (running) return 'stop';
  return crashed ? 'forget-crash' : 'none';
}
