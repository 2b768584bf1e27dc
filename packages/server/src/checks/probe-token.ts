import { createHash } from 'node:crypto';
import type { Clock } from '@vigil/resilience';

/**
 * A short token (12 base64url characters) that is unique per run, for a client id or a round-trip
 * payload: derived from the monitor id, the clock's wall and monotonic time and a per-check sequence
 * number, so it needs no randomness and is exact under a `FakeClock`.
 */
export function probeToken(clock: Clock, monitorId: string, sequence: number): string {
  return createHash('sha256')
    .update(`${monitorId}\0${clock.now()}\0${clock.monotonic()}\0${sequence}`)
    .digest('base64url')
    .slice(0, 12);
}
