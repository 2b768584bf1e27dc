import { describe, expect, it } from 'vitest';
import { main as checker } from './checker.js';
import { main as failoverPostgres } from './failover-postgres.js';
import { main as leaderboard } from './leaderboard.js';
import { postgresBin } from './private-postgres.js';

describe('docs/health.md examples run as documented', () => {
  it('checker: drop → 10 retries → failure → restart by the supervisor → connect', async () => {
    const log = await checker();
    expect(log.slice(0, 3)).toEqual([
      'connect: status up, 0 failed attempts, 0 retries',
      'disconnect: status down, 0 failed attempts, 0 retries',
      'failure: status failed, 10 failed attempts, 10 retries',
    ]);
    expect(log.at(-2)).toBe('connect: status up, 0 failed attempts, 0 retries');
    expect(log.at(-1)).toBe('restarted by the supervisor at least once');
  });

  it('leaderboard: flaky stores join late, broken ones are blocked', async () => {
    expect(await leaderboard()).toEqual({
      top3: [
        ['braga', 9.9],
        ['porto', 11.9],
        ['lisbon', 12.5],
      ],
      blocked: ['aveiro', 'evora', 'faro'],
      quarantinedOnTheWay: ['aveiro', 'braga', 'evora', 'faro'],
    });
  });

  it.skipIf(postgresBin() === undefined)(
    'failover to memory while PostgreSQL is down; every write lands in the database once',
    async () => {
      const result = await failoverPostgres();
      expect(result.inDatabase).toBe(result.written);
      expect(result.duringOutage).toBeGreaterThan(0);
      const order = [
        'failed after 10 retries',
        'switched to the replacement',
        'reconciled',
        'switched to the primary',
      ];
      const at = order.map((what) => result.timeline.findIndex((t) => t.startsWith(what)));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    },
    60_000,
  );
});
