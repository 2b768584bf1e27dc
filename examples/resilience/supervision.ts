// A small supervision tree: a cache server and a flaky worker under one supervisor, plus a dynamic
// supervisor for per-job tasks. The worker crashes twice; the supervisor restarts it each time.
import {
  continueWith,
  createDynamicSupervisor,
  createServer,
  createSupervisor,
  type TaskContext,
} from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';

type CacheCall = { op: 'get'; key: string } | { op: 'put'; key: string; value: string };

export async function main(): Promise<{
  cached: string | undefined;
  workerRuns: number;
  jobs: number;
  restarts: string[];
}> {
  const clock = new FakeClock();

  // A server: a serialized mailbox, state passed from message to message.
  const cache = createServer<Map<string, string>, CacheCall, string | undefined>(
    {
      init: () => continueWith(new Map()), // ready at once; handleContinue finishes initialising
      handleContinue: (state) => state.set('warm', 'yes'),
      handleCall(msg, state) {
        if (msg.op === 'get') return { reply: state.get(msg.key) };
        state.set(msg.key, msg.value);
        return { reply: msg.value };
      },
    },
    { id: 'cache', clock },
  );

  // A worker that crashes on its first two runs.
  let workerRuns = 0;
  const worker = async (ctx: TaskContext): Promise<void> => {
    workerRuns++;
    if (workerRuns <= 2) throw new Error('lost connection');
    await new Promise<void>((resolve) => ctx.onStop(resolve));
  };

  const jobs = createDynamicSupervisor({ id: 'jobs', clock, maxChildren: 100 });
  const app = createSupervisor({
    id: 'app',
    strategy: 'one_for_one',
    intensity: 3,
    periodMs: 5000,
    clock,
    children: [
      { id: 'cache', task: cache },
      { id: 'worker', task: worker },
      { id: 'jobs', task: jobs },
    ],
  });
  const restarts: string[] = [];
  app.on('restarted', (e) => restarts.push(e.childId)); // also: started, exited, abandoned, gave-up

  await app.start();
  await clock.flush(); // let the worker's two crashes and restarts happen
  await cache.call({ op: 'put', key: 'greeting', value: 'hello' });
  const cached = await cache.call({ op: 'get', key: 'greeting' });
  await jobs.startChild({ id: 'job-1', task: (ctx) => new Promise<void>((r) => ctx.onStop(r)) });
  const running = jobs.countChildren().active;
  await app.stop(); // children stop in reverse order: jobs, worker, cache
  return { cached, workerRuns, jobs: running, restarts };
}
