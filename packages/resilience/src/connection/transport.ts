import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ResolvedConnectionOptions } from './options.js';

/** The event that says a freshly opened socket is ready for bytes. */
export type OpenEvent = 'connect' | 'secureConnect';

/** Opens a TCP or TLS socket to the peer (not yet connected when it returns). */
export function openSocket(
  options: Pick<
    ResolvedConnectionOptions<unknown, unknown>,
    'host' | 'port' | 'tls' | 'keepAliveMs'
  >,
): { socket: Socket; openEvent: OpenEvent } {
  const { host, port, keepAliveMs } = options;
  const keepAlive = keepAliveMs > 0;
  if (options.tls === undefined) {
    const socket = netConnect({
      host,
      port,
      noDelay: true,
      keepAlive,
      keepAliveInitialDelay: keepAlive ? keepAliveMs : 0,
    });
    return { socket, openEvent: 'connect' };
  }
  const socket = tlsConnect({
    // SNI must not be an IP address (RFC 6066).
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...options.tls,
    host,
    port,
  });
  socket.setNoDelay(true);
  if (keepAlive) socket.setKeepAlive(true, keepAliveMs);
  return { socket, openEvent: 'secureConnect' };
}
