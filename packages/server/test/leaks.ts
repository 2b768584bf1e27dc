// Leak checks for check kinds: the open sockets and timers of this process, before and after a run.
import { expect } from 'vitest';

/** Counts of the resources a check may leak: TCP sockets (client and accepted) and timers. */
export interface OpenResources {
  readonly sockets: number;
  readonly timers: number;
}

export function openResources(): OpenResources {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length,
    timers: info.filter((r) => r === 'Timeout').length,
  };
}

/**
 * Runs `fn` and checks that the sockets and timers open afterwards go back to what was open before.
 * Closing is asynchronous (a destroyed socket's handle closes on a later turn), so it waits up to
 * `graceMs` for them to go; a real leak stays and fails.
 */
export async function withoutLeaks<T>(fn: () => Promise<T>, graceMs = 500): Promise<T> {
  const before = openResources();
  const value = await fn();
  const deadline = performance.now() + graceMs;
  let after = openResources();
  while (
    (after.sockets > before.sockets || after.timers > before.timers) &&
    performance.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    after = openResources();
  }
  expect(after.sockets, 'open sockets after the run').toBeLessThanOrEqual(before.sockets);
  expect(after.timers, 'pending timers after the run').toBeLessThanOrEqual(before.timers);
  return value;
}
