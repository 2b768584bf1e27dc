import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';

const DAY_MS = 86_400_000;

/** What a TLS peer's certificate says, and why it does not verify (if it does not). */
export interface CertificateReport {
  /** The name it was checked against (SNI name or host). */
  readonly name: string;
  /** `CN=example.com, O=Example` (empty when the server sent no certificate). */
  readonly subject: string;
  readonly issuer: string;
  /** subjectAltName as OpenSSL prints it: `DNS:example.com, IP Address:10.0.0.1`. */
  readonly altNames: string;
  /** Validity window, wall-clock ms. */
  readonly validFrom: number;
  readonly validTo: number;
  /** Days until `validTo` from when it was inspected (negative once expired), to 0.01 day. */
  readonly daysLeft: number;
  /**
   * Why the chain or host name does not verify, each as a phrase completing "certificate for <name> …":
   * `expired 2 days ago`, `is self-signed`, `does not match the host name (it is for DNS:localhost)`.
   * Empty when it verifies.
   */
  readonly problems: readonly string[];
}

/**
 * Inspects the certificate of a connected TLS socket (connected with `rejectUnauthorized: false`, so the
 * verification result is in `authorized`/`authorizationError`). `now` is wall-clock ms.
 */
export function inspectCertificate(
  socket: TLSSocket,
  name: string,
  now: number,
): CertificateReport {
  const cert = socket.getPeerCertificate();
  if (Object.keys(cert).length === 0)
    return {
      name,
      subject: '',
      issuer: '',
      altNames: '',
      validFrom: Number.NaN,
      validTo: Number.NaN,
      daysLeft: Number.NaN,
      problems: ['was not sent by the server'],
    };
  const validFrom = Date.parse(cert.valid_from);
  const validTo = Date.parse(cert.valid_to);
  const report = {
    name,
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    altNames: cert.subjectaltname ?? '',
    validFrom,
    validTo,
    daysLeft: Math.round(((validTo - now) / DAY_MS) * 100) / 100,
  };
  const problems = socket.authorized
    ? []
    : verificationProblems(String(socket.authorizationError), cert, report, now);
  return { ...report, problems };
}

/** OpenSSL verify codes (as Node reports them), phrased to follow "certificate for <name> …". */
const REASONS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'has a self-signed certificate in its chain (an untrusted root)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is signed by an unknown authority',
  CERT_REVOKED: 'is revoked',
  CERT_SIGNATURE_FAILURE: 'has an invalid signature',
  CERT_CHAIN_TOO_LONG: 'has a chain that is too long',
  INVALID_CA: 'is issued by a certificate that is not a CA',
  INVALID_PURPOSE: 'is not valid for a TLS server',
};

function verificationProblems(
  code: string,
  cert: PeerCertificate,
  report: Omit<CertificateReport, 'problems'>,
  now: number,
): string[] {
  const problems: string[] = [];
  // Expiry is worked out from the dates, so it is named even when OpenSSL stopped at another error.
  if (report.validTo < now) problems.push(`expired ${formatAgo(now - report.validTo)}`);
  else if (report.validFrom > now)
    problems.push(`is not valid until ${new Date(report.validFrom).toISOString()}`);
  const derived = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'];
  if (!derived.includes(code)) {
    const reason = REASONS[code];
    problems.push(
      reason === undefined
        ? `does not verify (${code})`
        : reason.includes('unknown authority')
          ? `${reason} (${report.issuer})`
          : reason,
    );
  }
  // Node checks the host name only when the chain verified; check it either way to name every problem.
  if (checkServerIdentity(report.name, cert) !== undefined)
    problems.push(
      `does not match the host name (it is for ${report.altNames === '' ? report.subject : report.altNames})`,
    );
  // Node refused it for a reason our own reading did not find (another clock): still a refusal.
  if (problems.length === 0) problems.push(`does not verify (${code})`);
  return problems;
}

/** `CN=example.com, O=Example Ltd` from a certificate name object. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (name === undefined) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** `2 days`, `5 hours`, `1 minute`: a span for certificate messages. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const [count, unit] =
    abs >= DAY_MS
      ? [Math.round(abs / DAY_MS), 'day']
      : abs >= 3_600_000
        ? [Math.round(abs / 3_600_000), 'hour']
        : [Math.max(1, Math.round(abs / 60_000)), 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const formatAgo = (ms: number): string => `${formatSpan(ms)} ago`;

/**
 * How long a certificate has left, as a phrase completing "certificate for <name> …": `expires in 5 days
 * (2026-11-28)` or `expired 2 days ago (2026-11-21)`.
 */
export function describeExpiry(report: CertificateReport, now: number): string {
  const date = new Date(report.validTo).toISOString().slice(0, 10);
  const left = report.validTo - now;
  return left < 0
    ? `expired ${formatAgo(left)} (${date})`
    : `expires in ${formatSpan(left)} (${date})`;
}
