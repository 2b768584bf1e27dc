import { defineCheckKind } from '../check-kind.js';
import { runTls } from './run-tls.js';
import { secureContextCache } from './secure-context.js';
import { tlsSchema } from './schema.js';

export type { TlsCheckConfig } from './schema.js';
export { loadCa, loadTrust } from './ca.js';
export { describeExpiry, type CertificateReport } from './certificate.js';
export { isCertificateError, type CertificateError } from './certificate-error.js';
export { secureContextCache, type SecureContextCache } from './secure-context.js';
export { describeSocketError } from './socket-error.js';
export {
  openSocket,
  type OpenSocketOptions,
  type OpenedSocket,
  type SocketStage,
  type SocketTiming,
  type SocketTlsOptions,
} from './socket.js';

/**
 * `tls`: connects with TLS to host:port and reports the days until the certificate expires as `value`;
 * fails when the chain or host name does not verify or expiry is within `failDays`, is degraded within
 * `warnDays`.
 */
export const tls = defineCheckKind({
  name: 'tls',
  description: 'TLS certificate: chain and host name valid, days to expiry',
  schema: tlsSchema,
  create(config, deps) {
    const contexts = secureContextCache();
    return { run: (ctx) => runTls(config, deps, contexts, ctx) };
  },
});
