import { createSecureContext, type SecureContext } from 'node:tls';

/** Returns the TLS client context for a set of trusted certificates (undefined: Node's roots). */
export type SecureContextCache = (ca: readonly string[] | undefined) => SecureContext;

/**
 * A per-check cache of the TLS client context, rebuilt only when the trusted certificates change.
 * Building one costs 1–2 ms of CPU, which adds up over thousands of checks a minute. Handshakes stay
 * full ones: Node's contexts keep no client sessions, so nothing is resumed from an earlier run.
 */
export function secureContextCache(): SecureContextCache {
  let key: string | undefined;
  let context: SecureContext | undefined;
  return (ca) => {
    const next = ca === undefined ? '' : `ca:${ca.join('\n')}`;
    if (context === undefined || next !== key) {
      context = createSecureContext(ca === undefined ? {} : { ca: [...ca] });
      key = next;
    }
    return context;
  };
}
