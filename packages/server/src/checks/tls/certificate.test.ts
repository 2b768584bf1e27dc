import type { PeerCertificate, TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { describeExpiry, formatSpan, inspectCertificate } from './certificate.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

function socket(cert: FakeCert, authorizationError?: string): TLSSocket {
  return {
    getPeerCertificate: () => cert,
    authorized: authorizationError === undefined,
    authorizationError,
  } as unknown as TLSSocket;
}

type FakeCert = { [K in keyof PeerCertificate]?: PeerCertificate[K] | undefined };

const cert = (overrides: FakeCert = {}): FakeCert => ({
  subject: { CN: 'api.example.com', O: 'Example' },
  issuer: { CN: 'Example CA' },
  subjectaltname: 'DNS:api.example.com',
  valid_from: new Date(NOW - 30 * DAY).toUTCString(),
  valid_to: new Date(NOW + 10 * DAY).toUTCString(),
  ...overrides,
});

describe('certificate inspection', () => {
  it('reports subject, issuer, validity and days left of a verified certificate', () => {
    const report = inspectCertificate(socket(cert()), 'api.example.com', NOW);
    expect(report).toEqual({
      name: 'api.example.com',
      subject: 'CN=api.example.com, O=Example',
      issuer: 'CN=Example CA',
      altNames: 'DNS:api.example.com',
      validFrom: NOW - 30 * DAY,
      validTo: NOW + 10 * DAY,
      daysLeft: 10,
      problems: [],
    });
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'is self-signed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'has a self-signed certificate in its chain (an untrusted root)'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'is signed by an unknown authority (CN=Example CA)'],
    ['CERT_REVOKED', 'is revoked'],
    ['INVALID_PURPOSE', 'is not valid for a TLS server'],
    ['SOMETHING_NEW', 'does not verify (SOMETHING_NEW)'],
  ])('names %s', (code, problem) => {
    expect(inspectCertificate(socket(cert(), code), 'api.example.com', NOW).problems).toEqual([
      problem,
    ]);
  });

  it('names every problem: expiry from the dates, the chain, the host name', () => {
    const report = inspectCertificate(
      socket(
        cert({ valid_to: new Date(NOW - 3 * DAY).toUTCString() }),
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      ),
      'www.example.com',
      NOW,
    );
    expect(report.problems).toEqual([
      'expired 3 days ago',
      'is self-signed',
      'does not match the host name (it is for DNS:api.example.com)',
    ]);
    expect(report.daysLeft).toBe(-3);
  });

  it('names a certificate that is not valid yet', () => {
    const report = inspectCertificate(
      socket(cert({ valid_from: new Date(NOW + DAY).toUTCString() }), 'CERT_NOT_YET_VALID'),
      'api.example.com',
      NOW,
    );
    expect(report.problems).toEqual(['is not valid until 2026-06-02T12:00:00.000Z']);
  });

  it('keeps a refusal whose reason the dates do not show (clocks differ)', () => {
    const report = inspectCertificate(socket(cert(), 'CERT_HAS_EXPIRED'), 'api.example.com', NOW);
    expect(report.problems).toEqual(['does not verify (CERT_HAS_EXPIRED)']);
  });

  it('uses the subject when there are no alt names', () => {
    const report = inspectCertificate(
      socket(cert({ subjectaltname: undefined }), 'ERR_TLS_CERT_ALTNAME_INVALID'),
      'other.example.com',
      NOW,
    );
    expect(report.problems).toEqual([
      'does not match the host name (it is for CN=api.example.com, O=Example)',
    ]);
  });

  it('reports a server that sent no certificate', () => {
    const report = inspectCertificate(socket({}, 'UNABLE_TO_GET_ISSUER_CERT'), 'x', NOW);
    expect(report.problems).toEqual(['was not sent by the server']);
    expect(report.daysLeft).toBeNaN();
  });
});

describe('certificate expiry wording', () => {
  it.each([
    [5 * DAY, '5 days'],
    [1.4 * DAY, '1 day'],
    [20 * 3_600_000, '20 hours'],
    [3_600_000, '1 hour'],
    [10 * 60_000, '10 minutes'],
    [5_000, '1 minute'],
    [-2 * DAY, '2 days'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });

  it('says when it expires or expired, with the date', () => {
    const report = inspectCertificate(socket(cert()), 'api.example.com', NOW);
    expect(describeExpiry(report, NOW)).toBe('expires in 10 days (2026-06-11)');
    expect(describeExpiry(report, NOW + 12 * DAY)).toBe('expired 2 days ago (2026-06-11)');
  });
});
