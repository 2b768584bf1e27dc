import type { AlertRuleConfig, MonitorConfig } from '../../config/index.js';

/**
 * Whether a rule routes a monitor: every `match` key given must hold (the monitor's id is listed, its
 * group is listed, it has one of the tags); a rule without `match` keys routes every monitor.
 */
export function ruleMatches(
  rule: Pick<AlertRuleConfig, 'match'>,
  monitor: Pick<MonitorConfig, 'id' | 'group' | 'tags'>,
): boolean {
  const { monitors, groups, tags } = rule.match;
  if (monitors !== undefined && !monitors.includes(monitor.id)) return false;
  if (groups !== undefined && !groups.includes(monitor.group)) return false;
  if (tags !== undefined && !tags.some((t) => monitor.tags.includes(t))) return false;
  return true;
}
