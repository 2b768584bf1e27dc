import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { probeToken } from './probe-token.js';

describe('probeToken', () => {
  it('is exact for the same monitor, time and sequence, and differs when any changes', async () => {
    const clock = new FakeClock();
    const token = probeToken(clock, 'db', 0);
    expect(token).toMatch(/^[\w-]{12}$/);
    expect(probeToken(clock, 'db', 0)).toBe(token);
    expect(probeToken(clock, 'db', 1)).not.toBe(token);
    expect(probeToken(clock, 'cache', 0)).not.toBe(token);
    await clock.advance(1);
    expect(probeToken(clock, 'db', 0)).not.toBe(token);
  });
});
