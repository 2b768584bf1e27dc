// Leak checks for check kinds: sockets and timers open before and after a run, and server-side connections.
import type { Socket } from 'node:net';
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

/** Waits (up to `withinMs`) until a server's `sockets` set is empty: the client closed them all. */
export async function allClosed(sockets: Set<Socket>, withinMs = 1000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (sockets.size > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return sockets.size === 0;
}

/** How many TCP sockets (either end) and TLS wraps this process holds open. */
export function openSocketCount(): number {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap' || r === 'TCPConnectWrap').length;
}

/** Waits (up to `withinMs`) until the process holds at most `baseline` sockets; returns the count. */
export async function socketsBackTo(baseline: number, withinMs = 1000): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (openSocketCount() > baseline && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return openSocketCount();
}
