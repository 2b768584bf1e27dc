// The Redis client: commands, a pipeline, INFO, typed errors, and events.
import { createRedisClient, isRedisReplyError } from '@vigil/resilience';

export async function main(port: number): Promise<{
  value: string | null;
  counter: number;
  pipeline: unknown[];
  wrongType: string;
  version: string | undefined;
  pong: string;
}> {
  const redis = createRedisClient({
    host: '127.0.0.1',
    port,
    // password: process.env.REDIS_PASSWORD, db: 2, resp: 3, tls: { ca }, name: 'my-app'
    connectTimeoutMs: 2000,
    requestTimeoutMs: 1000,
  });
  redis.on('disconnected', ({ reason, inflight }) => {
    // `inflight` commands failed with CONNECTION_LOST; queued ones wait for the reconnect.
    console.warn(`redis down (${reason.message}); ${inflight} in-flight command(s) failed`);
  });

  // Commands issued in the same tick leave in one write (auto-pipelining).
  await redis.command(['SET', 'greeting', 'hello', 'EX', 60]);
  const value = await redis.command<string | null>(['GET', 'greeting']);
  const counter = await redis.command<number>(['INCRBY', 'visits', 5]);

  // A pipeline: sent together, one [error, value] per command; exec() never rejects.
  const results = await redis
    .pipeline()
    .command(['INCR', 'visits'])
    .command(['GET', 'nope'])
    .exec();

  // Error replies reject with RedisReplyError, keeping Redis's prefix.
  let wrongType = '';
  try {
    await redis.command(['LPUSH', 'greeting', 'x']);
  } catch (error) {
    if (isRedisReplyError(error)) wrongType = error.prefix;
  }

  const info = await redis.info('server'); // parsed: { server: { redis_version: '7.0.15', … } }
  const pong = await redis.ping();
  await redis.close();
  return {
    value,
    counter,
    pipeline: results.map(([error, v]) => error ?? v),
    wrongType, // 'WRONGTYPE'
    version: info.server?.redis_version,
    pong,
  };
}
