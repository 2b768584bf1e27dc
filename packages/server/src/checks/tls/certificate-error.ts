import type { CertificateReport } from './certificate.js';
import type { SocketTiming } from './socket.js';

/** A TLS peer's certificate was refused: it does not verify (expired, self-signed, wrong host…). */
export interface CertificateError extends Error {
  readonly code: 'CERTIFICATE_REFUSED';
  readonly isCertificateError: true;
  readonly retryable: false;
  readonly certificate: CertificateReport;
  /** The phases measured up to the refusal. */
  readonly timing: SocketTiming;
}

/** Builds the error for a refused certificate: `certificate for localhost expired 2 days ago`. */
export function certificateError(
  report: CertificateReport,
  timing: SocketTiming,
): CertificateError {
  const error = new Error(
    `certificate for ${report.name} ${report.problems.join(' and ')}`,
  ) as Error & { -readonly [K in keyof CertificateError]: CertificateError[K] };
  error.name = 'CertificateError';
  error.code = 'CERTIFICATE_REFUSED';
  error.isCertificateError = true;
  error.retryable = false;
  error.certificate = report;
  error.timing = timing;
  return error;
}

/** True for an error from `certificateError` (a brand check, not `instanceof`). */
export function isCertificateError(error: unknown): error is CertificateError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Partial<CertificateError>).isCertificateError === true
  );
}
