import type { CertificateReport } from './certificate.js';

/** A TLS peer's certificate was refused: it does not verify (expired, self-signed, wrong host…). */
export interface CertificateError extends Error {
  readonly code: 'CERTIFICATE_REFUSED';
  readonly isCertificateError: true;
  readonly retryable: false;
  readonly certificate: CertificateReport;
}

/** Builds the error for a refused certificate: `certificate for localhost expired 2 days ago`. */
export function certificateError(report: CertificateReport): CertificateError {
  const error = new Error(
    `certificate for ${report.name} ${report.problems.join(' and ')}`,
  ) as Error & { -readonly [K in keyof CertificateError]: CertificateError[K] };
  error.name = 'CertificateError';
  error.code = 'CERTIFICATE_REFUSED';
  error.isCertificateError = true;
  error.retryable = false;
  error.certificate = report;
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
