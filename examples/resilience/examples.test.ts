import { describe, expect, it } from 'vitest';
import { main as backoff } from './backoff.js';
import { main as clock } from './clock.js';
import { main as supervision } from './supervision.js';

describe('docs/resilience.md examples run as documented', () => {
  it('clock', async () => {
    expect(await clock()).toEqual([0, 1000, 2000, 3000]);
  });

  it('backoff', async () => {
    expect(await backoff()).toEqual({
      attempts: 3,
      result: 'connected',
      delays: [100, 200, 400, 800, 1000, 'stop'],
    });
  });

  it('supervision', async () => {
    expect(await supervision()).toEqual({
      cached: 'hello',
      workerRuns: 3,
      jobs: 1,
      restarts: ['worker', 'worker'],
    });
  });
});
