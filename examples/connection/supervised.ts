// A Redis client as a supervised task: it starts with its supervisor, reconnects on its own, and crashes
// (to be restarted under the supervisor's intensity) only if its reconnect policy gives up.
import { createRedisClient, createSupervisor, exponential } from '@vigil/resilience';

export async function main(port: number): Promise<{ pong: string; state: string }> {
  const redis = createRedisClient({
    port,
    autoConnect: false, // the supervisor starts it
    // Give up after 10 failed connects in a row: the task crashes with CONNECT_FAILED.
    reconnect: exponential({ initialMs: 50, maxMs: 5000, jitter: 'full' }).withMaxRetries(10),
  });
  const app = createSupervisor({
    id: 'app',
    strategy: 'one_for_one',
    children: [{ id: 'redis', task: redis }],
  });
  await app.start();
  const pong = await redis.ping();
  await app.stop(); // closes the client gracefully
  return { pong, state: redis.state }; // state: 'closed'
}
