import { lookup as dnsLookup } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket, type SecureContext } from 'node:tls';
import type { Clock } from '@vigil/resilience';
import { certificateError } from './certificate-error.js';
import { inspectCertificate, type CertificateReport } from './certificate.js';

/** Where an opening socket is: resolving the name, connecting TCP, in the TLS handshake, or ready. */
export type SocketStage = 'dns' | 'connect' | 'tls' | 'ready';

/** TLS settings of a socket. The chain and host name are always inspected, so a report exists either way. */
export interface SocketTlsOptions {
  /** SNI and the name the certificate must match (default: the host, or no SNI for an IP address). */
  readonly servername?: string;
  /** Trusted certificates (PEM); default Node's bundled roots. Ignored with `secureContext`. */
  readonly ca?: readonly string[];
  /** A prepared client context (see `secureContextCache`), rather than one built per connection. */
  readonly secureContext?: SecureContext;
  /** Refuse (reject with a certificate error) a certificate that does not verify. */
  readonly rejectUnauthorized: boolean;
  readonly alpnProtocols?: readonly string[];
}

export interface OpenSocketOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: SocketTlsOptions;
  readonly clock: Clock;
  /** Destroys the socket and rejects with the signal's reason. */
  readonly signal: AbortSignal;
  /** Called as the socket moves from one stage to the next (for timeout messages). */
  readonly onStage?: (stage: SocketStage) => void;
}

/** Measured durations in ms: `dns` only when a name was resolved, `tls` only for TLS. */
export interface SocketTiming {
  readonly dns?: number;
  readonly connect: number;
  readonly tls?: number;
}

export interface OpenedSocket {
  readonly socket: Socket;
  readonly timing: SocketTiming;
  /** The peer's certificate, for TLS. */
  readonly certificate?: CertificateReport;
}

interface Marks {
  start: number;
  lookupStart?: number;
  lookupEnd?: number;
  connected?: number;
}

/**
 * Opens a TCP (or TLS) connection, measuring each phase: name resolution (a timed `lookup`), TCP connect
 * and the TLS handshake. For TLS the certificate is inspected on every connection; when
 * `rejectUnauthorized` is set and it does not verify, the socket is destroyed before anything is written
 * and the promise rejects with a certificate error naming the reason (expired, self-signed, wrong host).
 * The socket is destroyed on every failure path, including abort.
 */
export function openSocket(options: OpenSocketOptions): Promise<OpenedSocket> {
  const marks: Marks = { start: options.clock.monotonic() };
  const host = options.host.replace(/^\[(.*)\]$/, '$1');
  options.onStage?.(isIP(host) === 0 ? 'dns' : 'connect');
  const socket = createSocket(host, options, timedLookup(options, marks));
  return new Promise<OpenedSocket>((resolve, reject) => {
    const { signal } = options;
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
    };
    const onError = (error: unknown): void => {
      cleanup();
      // Whatever the socket reports while being torn down has nowhere to go.
      socket.on('error', () => undefined).destroy();
      reject(error);
    };
    const onAbort = (): void => onError(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      marks.connected = options.clock.monotonic();
      if (options.tls !== undefined) options.onStage?.('tls');
    });
    socket.once(options.tls === undefined ? 'connect' : 'secureConnect', () => {
      try {
        const opened = settle(socket, host, options, marks);
        cleanup();
        options.onStage?.('ready');
        resolve(opened);
      } catch (error) {
        onError(error);
      }
    });
  });
}

/** A `lookup` for net/tls.connect that marks when name resolution starts and ends. */
function timedLookup(options: OpenSocketOptions, marks: Marks): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    marks.lookupStart = options.clock.monotonic();
    options.onStage?.('dns');
    dnsLookup(hostname, lookupOptions, (...args: Parameters<typeof callback>) => {
      marks.lookupEnd = options.clock.monotonic();
      options.onStage?.('connect');
      callback(...args);
    });
  };
}

function createSocket(host: string, options: OpenSocketOptions, lookup: LookupFunction): Socket {
  const { port, tls } = options;
  if (tls === undefined) return netConnect({ host, port, lookup });
  const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
  return tlsConnect({
    host,
    port,
    lookup,
    ...(servername === undefined || isIP(servername) !== 0 ? {} : { servername }),
    ...(tls.secureContext !== undefined
      ? { secureContext: tls.secureContext }
      : tls.ca === undefined
        ? {}
        : { ca: [...tls.ca] }),
    ...(tls.alpnProtocols === undefined ? {} : { ALPNProtocols: [...tls.alpnProtocols] }),
    // The chain is checked below, after the handshake, so that a refused certificate can be reported
    // in full (expiry, reason); nothing is written to the socket before that.
    rejectUnauthorized: false,
  });
}

function settle(
  socket: Socket,
  host: string,
  options: OpenSocketOptions,
  marks: Marks,
): OpenedSocket {
  const done = options.clock.monotonic();
  const connected = marks.connected ?? done;
  const connectFrom = marks.lookupEnd ?? marks.start;
  const timing: SocketTiming = {
    ...(marks.lookupStart === undefined || marks.lookupEnd === undefined
      ? {}
      : { dns: round(marks.lookupEnd - marks.lookupStart) }),
    connect: round(connected - connectFrom),
    ...(options.tls === undefined ? {} : { tls: round(done - connected) }),
  };
  if (options.tls === undefined || !(socket instanceof TLSSocket)) return { socket, timing };
  const name = options.tls.servername ?? host;
  const certificate = inspectCertificate(socket, name, options.clock.now());
  if (options.tls.rejectUnauthorized && certificate.problems.length > 0)
    throw certificateError(certificate, timing);
  return { socket, timing, certificate };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
