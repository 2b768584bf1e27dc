import { describe, expect, it } from 'vitest';
import { formatDuration, formatLatency, formatUptime } from './format';
import { routeOf, monitorHref } from './routes';
import { countByStatus, isProblem } from './status';

describe('formatting', () => {
  it.each([
    [0, '0 s'],
    [59_400, '59 s'],
    [60_000, '1 min'],
    [3_600_000, '1 h'],
    [3_900_000, '1 h 5 min'],
    [86_400_000 * 2, '2 d'],
    [86_400_000 + 3_600_000 * 4, '1 d 4 h'],
  ])('duration %d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [0.84, '0.8 ms'],
    [12.4, '12 ms'],
    [1250, '1.25 s'],
  ])('latency %d → %s', (ms, text) => expect(formatLatency(ms)).toBe(text));

  it.each([
    [null, '—'],
    [1, '100 %'],
    [0.99987, '99.987 %'],
    [0.9512, '95.12 %'],
  ])('uptime %j → %s', (ratio, text) => expect(formatUptime(ratio)).toBe(text));
});

describe('routes and statuses', () => {
  it.each([
    ['/', { page: 'board' }],
    ['/tv/', { page: 'tv' }],
    ['/login', { page: 'login' }],
    ['/setup', { page: 'setup' }],
    ['/monitors/db%2Fmain', { page: 'monitor', id: 'db/main' }],
    ['/monitors/%E0%A4%A', { page: 'missing', path: '/monitors/%E0%A4%A' }],
    ['/nope', { page: 'missing', path: '/nope' }],
  ])('%s', (path, route) => expect(routeOf(path)).toEqual(route));

  it('links to a monitor by its encoded id', () => {
    expect(monitorHref('db/main')).toBe('/monitors/db%2Fmain');
  });

  it('counts statuses and tells problems', () => {
    const base = { name: '', group: '', tags: [], kind: '', reason: '', since: '', lifecycle: '' };
    expect(
      countByStatus([
        { ...base, id: 'a', status: 'up' },
        { ...base, id: 'b', status: 'down' },
        { ...base, id: 'c', status: 'down' },
      ]),
    ).toEqual({ up: 1, down: 2, pending: 0, degraded: 0, maintenance: 0, paused: 0 });
    expect(
      ['down', 'degraded', 'pending', 'up', 'paused', 'maintenance'].map((s) =>
        isProblem(s as 'up'),
      ),
    ).toEqual([true, true, true, false, false, false]);
  });
});
