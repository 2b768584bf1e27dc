import { notifierFlags, type Config } from '../config/index.js';

/** What a `flag:` key can govern. */
export const flagTargetKinds = ['monitor', 'group', 'notifier'] as const;
export type FlagTargetKind = (typeof flagTargetKinds)[number];

/** One `flag:` key of the config: the monitor, group or notifier it is on. */
export interface FlagTarget {
  readonly kind: FlagTargetKind;
  readonly id: string;
  readonly flag: string;
}

/** The flag child that gates a target: ids cannot contain `:`, so `kind:id` is unambiguous. */
export function gateId(kind: FlagTargetKind, id: string): string {
  return `${kind}:${id}`;
}

/** Every `flag:` key of a config, in config order: groups, monitors, notifiers. */
export function flagTargets(config: Config): FlagTarget[] {
  const targets: FlagTarget[] = [];
  for (const g of config.groups)
    if (g.flag !== undefined) targets.push({ kind: 'group', id: g.id, flag: g.flag });
  for (const m of config.monitors)
    if (m.flag !== undefined) targets.push({ kind: 'monitor', id: m.id, flag: m.flag });
  for (const n of notifierFlags(config.notifiers))
    targets.push({ kind: 'notifier', id: n.id, flag: n.flag });
  return targets;
}
