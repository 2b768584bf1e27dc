import type { SecureContext } from 'node:tls';
import type { CheckContext, CheckDeps, CheckResult } from '../check-kind.js';
import { degraded, elapsed, failed, ok } from '../result.js';
import { loadTrust } from './ca.js';
import { describeExpiry, type CertificateReport } from './certificate.js';
import type { SecureContextCache } from './secure-context.js';
import { describeSocketError } from './socket-error.js';
import { openSocket, type SocketStage, type SocketTiming } from './socket.js';
import type { TlsCheckConfig } from './schema.js';

/** Connects with TLS, reads the peer's certificate and judges its chain, host name and expiry. */
export async function runTls(
  config: TlsCheckConfig,
  deps: CheckDeps,
  contexts: SecureContextCache,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  let secureContext: SecureContext;
  try {
    secureContext = await loadTrust(config.ca, deps.configDir, contexts);
  } catch (error) {
    return failed((error as Error).message, elapsed(ctx, start));
  }
  const target = `${config.host}:${config.port}`;
  let stage: SocketStage = 'dns';
  try {
    const opened = await openSocket({
      host: config.host,
      port: config.port,
      tls: {
        ...(config.servername === undefined ? {} : { servername: config.servername }),
        secureContext,
        // Judged below from the report, so that a refused certificate still has its details.
        rejectUnauthorized: false,
      },
      clock: ctx.clock,
      signal: ctx.signal,
      onStage: (s) => (stage = s),
    });
    opened.socket.destroy();
    const report = opened.certificate as CertificateReport; // always set for TLS
    return judge(config, report, opened.timing, ctx, elapsed(ctx, start));
  } catch (error) {
    return failed(describeSocketError(error, stage, target, ctx), elapsed(ctx, start));
  }
}

function judge(
  config: TlsCheckConfig,
  cert: CertificateReport,
  timing: SocketTiming,
  ctx: CheckContext,
  total: number,
): CheckResult {
  const now = ctx.clock.now();
  const extra = {
    phases: { ...timing, total },
    ...(Number.isFinite(cert.daysLeft) ? { value: cert.daysLeft } : {}),
    details: {
      subject: cert.subject,
      issuer: cert.issuer,
      validTo: Number.isFinite(cert.validTo) ? new Date(cert.validTo).toISOString() : null,
      daysLeft: Number.isFinite(cert.daysLeft) ? cert.daysLeft : null,
    },
  };
  const subject = `certificate for ${cert.name}`;
  // Without verification only the dates count; a missing certificate has none.
  const problems = config.rejectUnauthorized || !Number.isFinite(cert.validTo) ? cert.problems : [];
  if (problems.length > 0) return failed(`${subject} ${problems.join(' and ')}`, total, extra);
  const expiry = `${subject} ${describeExpiry(cert, now)}`;
  if (cert.validTo <= now) return failed(expiry, total, extra);
  if (cert.daysLeft < config.failDays)
    return failed(`${expiry}, within failDays ${config.failDays}`, total, extra);
  if (cert.daysLeft < config.warnDays)
    return degraded(`${expiry}, within warnDays ${config.warnDays}`, total, extra);
  return ok(expiry, total, extra);
}
