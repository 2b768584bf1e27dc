import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type PrivateRedis } from '../../packages/resilience/test/redis-server.js';
import { main as lineProtocol } from './line-protocol.js';
import { main as pool } from './pool.js';
import { main as redisExample } from './redis.js';
import { main as supervised } from './supervised.js';

describe('docs/connection.md examples run as documented', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('line protocol', async () => {
    expect(await lineProtocol()).toEqual({
      replies: ['A', 'B', 'C'],
      error: 'ERR no boom',
      events: ['connected after 1 attempt(s)'],
    });
  });

  it('redis', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await redisExample(redis.port);
    expect(result).toMatchObject({
      value: 'hello',
      counter: 5,
      wrongType: 'WRONGTYPE',
      pong: 'PONG',
    });
    expect(result.pipeline).toEqual([6, null]);
    expect(result.version).toMatch(/^\d+\./);
  });

  it('pool', async () => {
    const { results, stats } = await pool(redis.port);
    expect((results as number[]).sort((a, b) => a - b)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(stats).toMatchObject({ borrowed: 0, pending: 0 });
  });

  it('supervised', async () => {
    expect(await supervised(redis.port)).toEqual({ pong: 'PONG', state: 'closed' });
  });
});
