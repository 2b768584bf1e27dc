// A heartbeat that depends on time only through an injected Clock, and a test-style run on FakeClock.
import { systemClock, type Clock } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';

/** Calls `beat` every `everyMs` until `signal` aborts; time comes only from `clock`. */
export async function heartbeat(
  beat: (at: number) => void,
  everyMs: number,
  signal: AbortSignal,
  clock: Clock = systemClock,
): Promise<void> {
  while (!signal.aborted) {
    beat(clock.now());
    await clock.sleep(everyMs, signal).catch(() => undefined);
  }
}

/** Drives the heartbeat for 3.5 virtual seconds, instantly, and returns the beat times. */
export async function main(): Promise<number[]> {
  const clock = new FakeClock({ startWall: 0 });
  const beats: number[] = [];
  const controller = new AbortController();
  const running = heartbeat((at) => beats.push(at), 1000, controller.signal, clock);
  await clock.advance(3500); // fires the timers at 1000, 2000 and 3000 in order
  controller.abort();
  await running;
  return beats; // [0, 1000, 2000, 3000]
}
