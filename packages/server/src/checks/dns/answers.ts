import { isIP } from 'node:net';
import type { Resolver } from 'node:dns/promises';

/** Record types the dns check queries. */
export const recordTypes = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'TXT',
  'NS',
  'SRV',
  'CAA',
  'SOA',
  'PTR',
] as const;
export type RecordType = (typeof recordTypes)[number];

/**
 * One answer as text (`10 mail.example.com` for MX) and its main value (`mail.example.com`), so an
 * expectation may name either.
 */
export interface Answer {
  readonly text: string;
  readonly key: string;
}

/** Queries `name` for `type` and returns its answers as text. PTR accepts an IP address. */
export async function query(resolver: Resolver, name: string, type: RecordType): Promise<Answer[]> {
  switch (type) {
    case 'A':
    case 'AAAA':
      return (await resolver.resolve(name, type)).map((a) => same(canonicalIp(a)));
    case 'CNAME':
    case 'NS':
      return (await resolver.resolve(name, type)).map((n) => same(canonicalName(n)));
    case 'PTR': {
      const names =
        isIP(name) === 0 ? await resolver.resolvePtr(name) : await resolver.reverse(name);
      return names.map((n) => same(canonicalName(n)));
    }
    case 'MX':
      return (await resolver.resolveMx(name)).map((r) => {
        const exchange = canonicalName(r.exchange);
        return { text: `${r.priority} ${exchange}`, key: exchange };
      });
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => same(chunks.join('')));
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((r) => {
        const target = canonicalName(r.name);
        return {
          text: `${r.priority} ${r.weight} ${r.port} ${target}`,
          key: `${target}:${r.port}`,
        };
      });
    case 'CAA':
      return (await resolver.resolveCaa(name)).map(caaAnswer);
    case 'SOA': {
      const s = await resolver.resolveSoa(name);
      const [ns, mbox] = [canonicalName(s.nsname), canonicalName(s.hostmaster)];
      const numbers = `${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minttl}`;
      return [{ text: `${ns} ${mbox} ${numbers}`, key: ns }];
    }
  }
}

function caaAnswer(record: Awaited<ReturnType<Resolver['resolveCaa']>>[number]): Answer {
  const { critical, ...rest } = record;
  const [tag = '', value = ''] = Object.entries(rest)[0] ?? [];
  return { text: `${critical} ${tag} "${value}"`, key: value };
}

const same = (text: string): Answer => ({ text, key: text });

/** A name as compared: lower case, without a trailing dot. */
function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An address as compared: IPv6 compressed and lower case (`2001:DB8:0::1` → `2001:db8::1`). */
function canonicalIp(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** Normalises an expected value the way answers of `type` are, so `10 Mail.Example.com.` matches. */
export function canonicalExpectation(type: RecordType, value: string): string {
  if (type === 'TXT' || type === 'CAA') return value;
  if (type === 'A' || type === 'AAAA') return canonicalIp(value.trim());
  return value.trim().split(/\s+/).map(canonicalName).join(' ');
}

/** True when `expected` (already canonical) names this answer, by its full text or main value. */
export function answers(answer: Answer, expected: string): boolean {
  return answer.text === expected || answer.key === expected;
}
