import { describe, expect, it } from 'vitest';
import type { MonitorSummary } from '../types';
import { filterFromSearch, groupSections, matches, searchFromFilter } from './filter';

const monitor = (id: string, over: Partial<MonitorSummary> = {}): MonitorSummary => ({
  id,
  name: id.toUpperCase(),
  group: 'data',
  tags: [],
  kind: 'tcp',
  status: 'up',
  reason: '',
  since: '2026-01-01T00:00:00.000Z',
  lifecycle: 'running',
  ...over,
});

describe('board filter', () => {
  it.each([
    ['', { q: '', problems: false, group: '' }],
    ['?q=db&problems=1', { q: 'db', problems: true, group: '' }],
    ['?problems=true&group=web', { q: '', problems: true, group: 'web' }],
    ['?problems=0', { q: '', problems: false, group: '' }],
  ])('parses %j', (search, filter) => {
    expect(filterFromSearch(search)).toEqual(filter);
  });

  it('round-trips through the URL, leaving out empty parts', () => {
    expect(searchFromFilter({ q: 'pg prod', problems: true, group: '' })).toBe(
      '?q=pg+prod&problems=1',
    );
    expect(searchFromFilter({ q: '', problems: false, group: '' })).toBe('');
    const filter = { q: 'a b', problems: true, group: 'g' };
    expect(filterFromSearch(searchFromFilter(filter))).toEqual(filter);
  });

  it('matches every word against id, name, group, kind, status and tags; problems are down, degraded, pending', () => {
    const pg = monitor('pg', { tags: ['prod'], kind: 'postgres', status: 'down' });
    const none = { q: '', problems: false, group: '' };
    expect(matches(pg, { ...none, q: 'PROD postgres' })).toBe(true);
    expect(matches(pg, { ...none, q: 'prod redis' })).toBe(false);
    expect(matches(pg, { ...none, q: 'down' })).toBe(true);
    expect(matches(pg, { ...none, problems: true })).toBe(true);
    expect(matches(monitor('x', { status: 'maintenance' }), { ...none, problems: true })).toBe(
      false,
    );
    expect(matches(monitor('x', { status: 'pending' }), { ...none, problems: true })).toBe(true);
    expect(matches(pg, { ...none, group: 'web' })).toBe(false);
  });

  it('groups in config order, unknown groups after by id, with who is on support', () => {
    const sections = groupSections(
      [
        monitor('a', { group: 'zeta' }),
        monitor('b', { group: 'web' }),
        monitor('c', { group: 'alpha' }),
        monitor('d', { group: 'web' }),
      ],
      [
        { id: 'web', name: 'Web', support: { name: 'Ann' }, monitors: 2 },
        { id: 'empty', name: 'Empty', monitors: 0 },
      ],
    );
    expect(sections.map((s) => [s.id, s.name, s.monitors.map((m) => m.id)])).toEqual([
      ['web', 'Web', ['b', 'd']],
      ['alpha', 'alpha', ['c']],
      ['zeta', 'zeta', ['a']],
    ]);
    expect(sections[0]?.support).toEqual({ name: 'Ann' });
    expect(sections[1]?.support).toBeUndefined();
  });
});
