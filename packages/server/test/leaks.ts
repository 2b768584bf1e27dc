// Leak checks for check tests: every connection a check opened is closed once its run is over.
import type { Socket } from 'node:net';

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
