import { formatDuration } from '../../config/index.js';
import type { RecordType } from './answers.js';

/** What was asked of whom, for messages. */
export interface DnsQuestion {
  readonly name: string;
  readonly type: RecordType;
  /** `resolver 127.0.0.1:5353`, or `system resolver 10.0.0.53` when none was configured. */
  readonly resolver: string;
  readonly timeoutMs: number;
}

/**
 * A human message for a failed DNS query: the DNS answer code (NXDOMAIN, SERVFAIL…) in words, or what
 * went wrong talking to the resolver.
 */
export function describeDnsError(error: unknown, q: DnsQuestion, aborted: boolean): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (aborted || code === 'ETIMEOUT' || code === 'ECANCELLED')
    return `${q.resolver} timed out after ${formatDuration(q.timeoutMs)}`;
  switch (code) {
    case 'ENOTFOUND':
      return `${q.name} has no ${q.type} record (NXDOMAIN)`;
    case 'ENODATA':
      return `${q.name} has no ${q.type} record (NODATA: the name exists, without ${q.type} records)`;
    case 'ESERVFAIL':
      return `${q.resolver} could not answer for ${q.name} ${q.type} (SERVFAIL)`;
    case 'EREFUSED':
      return `${q.resolver} refused to answer for ${q.name} ${q.type} (REFUSED)`;
    case 'ECONNREFUSED':
      return `connection refused by ${q.resolver} (nothing answers DNS there)`;
    case 'EBADRESP':
    case 'EFORMERR':
      return `${q.resolver} sent a malformed DNS response (${code}); is it a DNS server?`;
    case 'ENOTIMP':
      return `${q.resolver} does not implement ${q.type} queries (NOTIMP)`;
    default: {
      const what = error instanceof Error ? error.message : String(error);
      return `${q.name} ${q.type} query failed: ${what} (${q.resolver})`;
    }
  }
}
