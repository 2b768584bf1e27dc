import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * The sockets a client library opens for one check, found through Node's `net.client.socket`
 * diagnostics channel and the async context the check runs the library in.
 *
 * Why: nats.js takes no AbortSignal and, when its connect times out before the server's INFO, it
 * leaves the socket open (its transport only closes sockets it counts as connected). Tracking lets a
 * check destroy every socket it caused, whatever state the library is in.
 */
export interface SocketTracker {
  /** Runs `fn`; every TCP client socket created in its async context (now or later) is tracked. */
  run<T>(fn: () => T): T;
  /** Destroys the tracked sockets; sockets the context creates afterwards are destroyed at once. */
  destroyAll(): void;
}

const current = new AsyncLocalStorage<(socket: Socket) => void>();
let listening = false;

function onClientSocket(message: unknown): void {
  const track = current.getStore();
  if (track !== undefined) track((message as { socket: Socket }).socket);
}

export function createSocketTracker(): SocketTracker {
  const sockets = new Set<Socket>();
  let done = false;
  const track = (socket: Socket): void => {
    // The channel reports a socket before `connect()` is called on it, and connecting revives a
    // destroyed socket: destroy a late one once the current call has returned.
    if (done) queueMicrotask(() => socket.destroy());
    else sockets.add(socket);
  };
  return {
    run(fn) {
      if (!listening) {
        subscribe('net.client.socket', onClientSocket);
        listening = true;
      }
      return current.run(track, fn);
    },
    destroyAll() {
      done = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
