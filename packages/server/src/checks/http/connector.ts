import type { buildConnector } from 'undici';
import type { Clock } from '@vigil/resilience';
import {
  isCertificateError,
  openSocket,
  type CertificateReport,
  type SocketTlsOptions,
} from '../tls/index.js';
import type { RunTrace } from './trace.js';

export interface ConnectorOptions {
  readonly trace: RunTrace;
  readonly clock: Clock;
  /** Aborts connections in progress (the check's timeout, or the end of the run). */
  readonly signal: AbortSignal;
  /** TLS settings; `servername` applies to `servernameHost` only (not to hosts redirected to). */
  readonly tls: Omit<SocketTlsOptions, 'servername' | 'alpnProtocols'>;
  readonly servername?: string;
  readonly servernameHost: string;
}

/**
 * An undici connector that opens each connection itself with `openSocket`, so that every connection's
 * dns, connect and tls phases are measured and its certificate inspected (and refused, with the reason,
 * when it does not verify). Used by a check's kept dispatcher (see `KeptConnections`) or by one made
 * for a single run.
 */
export function tracingConnector(
  options: ConnectorOptions,
  /** Told the certificate of every TLS connection opened, by `host:port`. */
  remember?: (target: string, certificate: CertificateReport) => void,
): buildConnector.connector {
  const { trace } = options;
  return (target, callback) => {
    const https = target.protocol === 'https:';
    const port = target.port === '' ? (https ? 443 : 80) : Number(target.port);
    const hostPort = `${target.hostname}:${port}`;
    trace.target = hostPort;
    trace.stage = 'connect';
    const servername =
      options.servername !== undefined && target.hostname === options.servernameHost
        ? { servername: options.servername }
        : {};
    openSocket({
      host: target.hostname,
      port,
      ...(https ? { tls: { alpnProtocols: ['http/1.1'], ...options.tls, ...servername } } : {}),
      clock: options.clock,
      signal: options.signal,
      onStage: (stage) => {
        if (stage !== 'ready') trace.stage = stage;
      },
    }).then(
      (opened) => {
        trace.opened(opened);
        if (opened.certificate !== undefined) remember?.(hostPort, opened.certificate);
        callback(null, opened.socket);
      },
      (error: unknown) => {
        trace.connectError = error;
        if (isCertificateError(error))
          trace.opened({ timing: error.timing, certificate: error.certificate });
        callback(error as Error, null);
      },
    );
  };
}
