import type { Group, MonitorSummary } from '../types';
import { isProblem } from './status';

/** What the board shows: a search text (id, name, group, tag or kind) and whether only problems. */
export interface BoardFilter {
  readonly q: string;
  readonly problems: boolean;
  readonly group: string;
}

/** Parses the board's URL parameters: `?q=…&problems=1&group=…`. */
export function filterFromSearch(search: string): BoardFilter {
  const params = new URLSearchParams(search);
  const problems = params.get('problems');
  return {
    q: params.get('q') ?? '',
    problems: problems === '1' || problems === 'true',
    group: params.get('group') ?? '',
  };
}

/** The URL parameters for a filter (empty parts left out), e.g. `?q=db&problems=1`. */
export function searchFromFilter(filter: BoardFilter): string {
  const params = new URLSearchParams();
  if (filter.q !== '') params.set('q', filter.q);
  if (filter.problems) params.set('problems', '1');
  if (filter.group !== '') params.set('group', filter.group);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Whether a monitor passes the filter. Every word of the search must match one of its fields. */
export function matches(monitor: MonitorSummary, filter: BoardFilter): boolean {
  if (filter.problems && !isProblem(monitor.status)) return false;
  if (filter.group !== '' && monitor.group !== filter.group) return false;
  const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [
    monitor.id,
    monitor.name,
    monitor.group,
    monitor.kind,
    monitor.status,
    ...monitor.tags,
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** One group's section of the board. */
export interface GroupSection {
  readonly id: string;
  readonly name: string;
  readonly support?: Group['support'];
  readonly monitors: MonitorSummary[];
}

/**
 * Sorts the monitors into their groups, in the config's group order (groups the config does not name come
 * after, by id); within a group, in the order given. Empty groups are left out.
 */
export function groupSections(
  monitors: Iterable<MonitorSummary>,
  groups: readonly Group[],
): GroupSection[] {
  const byGroup = new Map<string, MonitorSummary[]>();
  for (const m of monitors) {
    const list = byGroup.get(m.group);
    if (list === undefined) byGroup.set(m.group, [m]);
    else list.push(m);
  }
  const known = new Map(groups.map((g, i) => [g.id, { group: g, index: i }]));
  return [...byGroup.entries()]
    .sort(([a], [b]) => {
      const ia = known.get(a)?.index ?? Infinity;
      const ib = known.get(b)?.index ?? Infinity;
      return ia === ib ? a.localeCompare(b) : ia - ib;
    })
    .map(([id, list]) => {
      const group = known.get(id)?.group;
      return {
        id,
        name: group?.name ?? id,
        ...(group?.support === undefined ? {} : { support: group.support }),
        monitors: list,
      };
    });
}
