// A pool of Redis clients: borrow with use(), which always gives the client back (and destroys it if the
// work failed with a connection error); idle clients are closed after idleTimeoutMs.
import { createPool, createRedisClient, type RedisClient } from '@vigil/resilience';

export async function main(port: number): Promise<{ results: unknown[]; stats: unknown }> {
  const pool = createPool<RedisClient>({
    id: 'redis',
    create: () => createRedisClient({ port }),
    destroy: (client) => client.close(),
    validate: (client) => client.state === 'connected', // on every borrow of an idle client
    min: 1,
    max: 4,
    acquireTimeoutMs: 2000,
    idleTimeoutMs: 30_000,
  });

  // Eight jobs, four clients at most: the rest wait their turn, first come first served.
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      pool.use((client) => client.command(['INCR', `job:${i % 2}`])),
    ),
  );
  const stats = pool.stats; // { size, idle, borrowed, pending, creating }
  await pool.close(); // waits for borrowed clients, then destroys them all
  return { results, stats };
}
