import { formatDuration } from '../../config/index.js';
import type { CheckResult } from '../check-kind.js';
import { degraded, failed, ok } from '../result.js';
import { describeExpiry, type CertificateReport } from '../tls/index.js';
import { decodeBody, formatBytes, type ReadBody } from './body.js';
import type { FinalResponse } from './exchange.js';
import type { PreparedHttp } from './prepare.js';
import { describeStatuses, statusMatches } from './status.js';
import { displayUrl } from './url.js';

type Extra = Omit<CheckResult, 'outcome' | 'message' | 'latencyMs'>;

/** What a run saw, for judging: the final response, its body, certificates met, timing. */
export interface Observed {
  readonly response: FinalResponse;
  readonly body: ReadBody;
  readonly certificates: readonly CertificateReport[];
  readonly total: number;
  readonly now: number;
  readonly extra: Extra;
}

/**
 * Applies the assertions: any failed one fails the check (all of them named, status first); then a slow
 * response or a certificate close to expiry makes it `degraded`; otherwise `ok`.
 */
export function judge(prepared: PreparedHttp, seen: Observed): CheckResult {
  const { response, total, extra } = seen;
  const from = `HTTP ${response.status} from ${displayUrl(response.url)}`;
  if (!statusMatches(prepared.statuses, response.status))
    return failed(
      prepared.explicitStatus ? `${from}, expected ${describeStatuses(prepared.statuses)}` : from,
      total,
      extra,
    );
  const cap = prepared.config.maxBodyBytes;
  if (seen.body.truncated)
    return failed(
      `response body is larger than ${formatBytes(cap)} (${seen.body.declaredBytes === undefined ? `read ${formatBytes(cap)}` : `Content-Length ${formatBytes(seen.body.declaredBytes)}`})`,
      total,
      extra,
    );
  if (seen.body.problem !== undefined) return failed(seen.body.problem, total, extra);
  const failures = assertionFailures(prepared, seen);
  if (failures.length > 0) return failed(failures.join('; '), total, extra);
  const warnings = degradations(prepared, seen);
  if (warnings.length > 0) return degraded(`${from}, but ${warnings.join('; ')}`, total, extra);
  const via = response.redirects === 0 ? '' : ` (after ${plural(response.redirects, 'redirect')})`;
  return ok(`${from}${via}`, total, extra);
}

function assertionFailures(prepared: PreparedHttp, seen: Observed): string[] {
  const failures: string[] = [];
  for (const check of prepared.headerChecks) {
    const problem = check(seen.response.headers);
    if (problem !== undefined) failures.push(problem);
  }
  const expectBody = prepared.config.expect.body;
  if (expectBody === undefined && prepared.json.length === 0) return failures;
  const text = decodeBody(seen.body.bytes, seen.response.headers['content-type']);
  if (expectBody?.contains !== undefined && !text.includes(expectBody.contains))
    failures.push(`body does not contain ${JSON.stringify(expectBody.contains)}`);
  if (expectBody?.notContains !== undefined && text.includes(expectBody.notContains))
    failures.push(`body contains ${JSON.stringify(expectBody.notContains)}`);
  if (prepared.bodyPattern !== undefined && !prepared.bodyPattern.test(text))
    failures.push(`body does not match ${String(prepared.bodyPattern)}`);
  if (prepared.json.length > 0) failures.push(...jsonFailures(prepared, text));
  return failures;
}

function jsonFailures(prepared: PreparedHttp, text: string): string[] {
  if (text.trim() === '') return ['response body is empty, expected JSON'];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    return [
      `invalid JSON in response body: ${reason.length > 120 ? `${reason.slice(0, 119)}…` : reason}`,
    ];
  }
  return prepared.json.flatMap((assertion) => assertion(document) ?? []);
}

function degradations(prepared: PreparedHttp, seen: Observed): string[] {
  const warnings: string[] = [];
  const limit = prepared.config.expect.responseTimeMs;
  if (limit !== undefined && seen.total > limit)
    warnings.push(
      `it took ${formatDuration(Math.round(seen.total))}, over the ${formatDuration(limit)} response time limit`,
    );
  const minDays = prepared.config.expect.certificate.minDaysValid;
  const soonest = soonestExpiry(seen.certificates);
  if (minDays > 0 && soonest !== undefined && soonest.daysLeft < minDays)
    warnings.push(`certificate for ${soonest.name} ${describeExpiry(soonest, seen.now)}`);
  return warnings;
}

/** The certificate that expires first among those met (redirects may cross hosts). */
export function soonestExpiry(certs: readonly CertificateReport[]): CertificateReport | undefined {
  return certs
    .filter((c) => Number.isFinite(c.validTo))
    .reduce<CertificateReport | undefined>(
      (a, c) => (a === undefined || c.validTo < a.validTo ? c : a),
      undefined,
    );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
