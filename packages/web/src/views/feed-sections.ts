import type { LiveFeed } from '../browser/live';
import { search } from '../browser/router';
import { filterFromSearch, groupSections, matches, type BoardFilter } from '../logic/filter';
import type { Group, MonitorSummary } from '../types';

/**
 * What the board and TV mode show: the feed's monitors, filtered by the URL's search, in group sections.
 * Reading it in a component re-renders that component on every change of the feed.
 */
export function feedSections(feed: LiveFeed, groups: readonly Group[]) {
  const _version = feed.version.value; // subscribe to every change of the feed
  const filter: BoardFilter = filterFromSearch(search.value);
  const all: MonitorSummary[] = [...feed.monitors.values()];
  const sections = groupSections(
    all.filter((m) => matches(m, filter)),
    groups,
  );
  return { filter, all, sections };
}
