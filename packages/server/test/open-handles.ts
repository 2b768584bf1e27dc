// Counts the process's open sockets and timers, so tests can assert a check left none behind.
import { setTimeout as sleep } from 'node:timers/promises';

export interface HandleCount {
  readonly sockets: number;
  readonly timers: number;
}

/** How many TCP sockets and timers the process holds right now. */
export function openHandles(): HandleCount {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length,
    timers: resources.filter((r) => r === 'Timeout').length,
  };
}

/**
 * Sockets and timers opened since `before` and still open. Sockets are counted at once (a check must
 * have closed them when it returns); timers may take up to 200 ms to go (the test runner's own come and
 * go; a leaked one stays).
 */
export async function leakedSince(before: HandleCount): Promise<HandleCount> {
  const sockets = Math.max(0, openHandles().sockets - before.sockets);
  let timers = 0;
  for (let waited = 0; waited <= 200; waited += 10) {
    timers = Math.max(0, openHandles().timers - before.timers);
    if (timers === 0) break;
    await sleep(10);
  }
  return { sockets, timers };
}
