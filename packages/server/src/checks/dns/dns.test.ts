import { systemClock } from '@vigil/resilience';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocExamples } from '../../../test/doc-yaml.js';
import { runCheck, schemaIssues } from '../../../test/check-harness.js';
import { dnsServer, type DnsServer } from '../../../test/dns-server.js';
import { tcpPeer } from '../../../test/net-helpers.js';
import { dns } from './index.js';
import { describeDnsError } from './dns-error.js';
import { parseResolverAddress } from './resolver-address.js';

let server: DnsServer;
beforeAll(async () => {
  server = await dnsServer({
    'example.test': [
      { type: 'A', data: '10.0.0.1' },
      { type: 'A', data: '10.0.0.2' },
      { type: 'AAAA', data: '2001:db8::1' },
      { type: 'MX', data: { priority: 10, exchange: 'mail.example.test' } },
      { type: 'MX', data: { priority: 20, exchange: 'backup.example.test' } },
      { type: 'TXT', data: ['v=spf1 ', 'include:_spf.example.test -all'] },
      { type: 'NS', data: 'ns1.example.test' },
      { type: 'CAA', data: { critical: 0, tag: 'issue', value: 'letsencrypt.org' } },
      {
        type: 'SOA',
        data: {
          nsname: 'ns1.example.test',
          hostmaster: 'hostmaster.example.test',
          serial: 2026010101,
          refresh: 7200,
          retry: 3600,
          expire: 1209600,
          minttl: 300,
        },
      },
    ],
    'www.example.test': [{ type: 'CNAME', data: 'example.test' }],
    '_sip._udp.example.test': [
      { type: 'SRV', data: { priority: 10, weight: 5, port: 5060, name: 'sip.example.test' } },
    ],
    '1.0.0.10.in-addr.arpa': [{ type: 'PTR', data: 'example.test' }],
    'many.example.test': Array.from({ length: 40 }, (_, i) => ({
      type: 'A' as const,
      data: `10.0.1.${i}`,
    })),
    'broken.example.test': 'servfail',
    'private.example.test': 'refused',
    'blackhole.example.test': 'silent',
    'garbage.example.test': 'garbage',
  });
});
afterAll(() => server.close());

const check = (config: Record<string, unknown>, timeoutMs?: number) =>
  runCheck(
    dns,
    { resolver: server.address, ...config },
    timeoutMs === undefined ? {} : { timeoutMs },
  );

describe('dns check', () => {
  it('resolves A records by default, with the answers, their count and the dns phase', async () => {
    const r = await check({ name: 'example.test' });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: 'example.test A: 10.0.0.1, 10.0.0.2',
      value: 2,
      details: { type: 'A', resolver: `resolver ${server.address}`, answers: '10.0.0.1, 10.0.0.2' },
    });
    expect(r.phases?.dns).toBeGreaterThanOrEqual(0);
    expect(server.queries).toContain('example.test A');
  });

  it.each([
    ['AAAA', 'example.test', '2001:db8::1', '2001:DB8:0::1'],
    ['CNAME', 'www.example.test', 'example.test', 'Example.Test.'],
    ['MX', 'example.test', '10 mail.example.test, 20 backup.example.test', 'mail.example.test'],
    [
      'MX',
      'example.test',
      '10 mail.example.test, 20 backup.example.test',
      '20 Backup.example.test',
    ],
    [
      'TXT',
      'example.test',
      'v=spf1 include:_spf.example.test -all',
      'v=spf1 include:_spf.example.test -all',
    ],
    ['NS', 'example.test', 'ns1.example.test', 'ns1.example.test'],
    ['SRV', '_sip._udp.example.test', '10 5 5060 sip.example.test', 'sip.example.test:5060'],
    ['CAA', 'example.test', '0 issue "letsencrypt.org"', 'letsencrypt.org'],
    [
      'SOA',
      'example.test',
      'ns1.example.test hostmaster.example.test 2026010101 7200 3600 1209600 300',
      'ns1.example.test',
    ],
    ['PTR', '1.0.0.10.in-addr.arpa', 'example.test', 'example.test'],
    ['PTR', '10.0.0.1', 'example.test', 'example.test'],
  ])('%s %s answers %s and matches the expectation %s', async (type, name, answers, expected) => {
    const r = await check({ name, type, expect: expected });
    expect(r).toMatchObject({ outcome: 'ok', message: `${name} ${type}: ${answers}` });
  });

  it('fails naming the missing answer and what came back', async () => {
    const r = await check({ name: 'example.test', expect: ['10.0.0.1', '10.0.0.9'] });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'expected 10.0.0.9 among [10.0.0.1, 10.0.0.2]',
      value: 2,
    });
  });

  it('with exact, fails on an answer that was not expected', async () => {
    const pass = await check({
      name: 'example.test',
      expect: ['10.0.0.2', '10.0.0.1'],
      exact: true,
    });
    expect(pass.outcome).toBe('ok');
    const r = await check({ name: 'example.test', expect: '10.0.0.1', exact: true });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'unexpected 10.0.0.2 among [10.0.0.1, 10.0.0.2] (expected exactly 10.0.0.1)',
    });
  });

  it('fails when there are fewer answers than minAnswers', async () => {
    expect((await check({ name: 'example.test', minAnswers: 2 })).outcome).toBe('ok');
    const r = await check({ name: 'www.example.test', type: 'CNAME', minAnswers: 2 });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'www.example.test has 1 CNAME answer, expected at least 2 [example.test]',
    });
  });

  it('keeps a long answer list short in the message and details', async () => {
    const r = await check({ name: 'many.example.test' });
    expect(r.value).toBe(40);
    expect(r.message.length).toBeLessThan(260);
    expect(r.message).toMatch(/^many\.example\.test A: 10\.0\.1\.0, .*, … \(\d+ more\)$/);
  });

  it.each([
    ['nonexistent.invalid', 'A', 'nonexistent.invalid has no A record (NXDOMAIN)'],
    [
      'www.example.test',
      'MX',
      'www.example.test has no MX record (NODATA: the name exists, without MX records)',
    ],
    ['broken.example.test', 'A', 'RESOLVER could not answer for broken.example.test A (SERVFAIL)'],
    [
      'private.example.test',
      'A',
      'RESOLVER refused to answer for private.example.test A (REFUSED)',
    ],
    [
      'garbage.example.test',
      'A',
      'RESOLVER sent a malformed DNS response (EBADRESP); is it a DNS server?',
    ],
  ])('%s %s fails: %s', async (name, type, message) => {
    const r = await check({ name, type });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: message.replace('RESOLVER', `resolver ${server.address}`),
    });
  });

  it('times out at the limit against a resolver that never answers', async () => {
    const r = await check({ name: 'blackhole.example.test' }, 300);
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `resolver ${server.address} timed out after 300ms`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(250);
    expect(r.latencyMs).toBeLessThan(1500);
  });

  it('fails at once when nothing listens on the resolver port', async () => {
    const closed = await dnsServer({});
    await closed.close();
    const r = await runCheck(dns, { name: 'example.test', resolver: closed.address });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by resolver ${closed.address} (nothing answers DNS there)`,
    });
  });

  it('fails at once against a TCP-only peer on the resolver port', async () => {
    const peer = await tcpPeer((s) => s.end('garbage'));
    try {
      const resolver = `127.0.0.1:${peer.port}`;
      const r = await runCheck(dns, { name: 'example.test', resolver }, { timeoutMs: 300 });
      expect(r).toMatchObject({
        outcome: 'fail',
        message: `connection refused by resolver ${resolver} (nothing answers DNS there)`,
      });
    } finally {
      await peer.close();
    }
  });

  it('uses the system resolver by default and names it', async () => {
    const r = await runCheck(dns, { name: 'nonexistent.invalid' }, { timeoutMs: 300 });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/NXDOMAIN|^system resolver \S+ timed out after 300ms$/);
    expect(r.details?.['resolver']).toMatch(/^system resolver /);
  });

  it('leaves no socket or timer behind, after answers and after timeouts', async () => {
    const before = process.getActiveResourcesInfo().length;
    for (let i = 0; i < 3; i++) {
      await check({ name: 'example.test' });
      await check({ name: 'blackhole.example.test' }, 50);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
  });

  it('returns at once when the signal is already aborted', async () => {
    const config = dns.schema.parse({ name: 'example.test', resolver: server.address });
    const deps = { clock: systemClock, configDir: '.', heartbeats: { last: () => undefined } };
    const c = await dns.create(config, deps, 'm');
    const signal = AbortSignal.abort(new Error('stop'));
    const r = await c.run({ signal, clock: systemClock, timeoutMs: 1000, monitorId: 'm' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `resolver ${server.address} timed out after 1s`,
    });
  });

  it('validates its config', () => {
    expect(
      schemaIssues(dns, { name: 'bad name!', type: 'ANY', resolver: 'dns.google', minAnswers: 0 }),
    ).toEqual([
      'name: is not a domain name (e.g. example.com) or an IP address',
      'type: Invalid option: expected one of "A"|"AAAA"|"CNAME"|"MX"|"TXT"|"NS"|"SRV"|"CAA"|"SOA"|"PTR"',
      'resolver: must be an IP address with an optional port, e.g. 1.1.1.1, 127.0.0.1:5353 or [::1]:53 (not a name)',
      'minAnswers: Too small: expected number to be >=1',
    ]);
    expect(schemaIssues(dns, { name: '10.0.0.1', exact: true })).toEqual([
      'name: is an IP address; only a PTR query takes one (set type: PTR)',
      'exact: needs `expect`',
    ]);
    expect(schemaIssues(dns, { type: 'A', expect: [], bogus: 1 })).toEqual([
      'name: Invalid input: expected string, received undefined',
      'expect: Too small: expected array to have >=1 items',
      ': Unrecognized key: "bogus"',
    ]);
    expect(schemaIssues(dns, { name: 'example.com', resolver: '127.0.0.1:99999' })).toHaveLength(1);
  });

  it.each([
    ['1.1.1.1', '1.1.1.1'],
    ['127.0.0.1:5353', '127.0.0.1:5353'],
    ['::1', '::1'],
    ['[::1]:53', '[::1]:53'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['example.com', undefined],
    ['[10.0.0.1]:53', '10.0.0.1:53'],
    ['::1:53', '::1:53'],
    ['10.0.0.1:0', undefined],
    ['[::1', undefined],
  ])('parses resolver %s', (text, server) => {
    expect(parseResolverAddress(text)?.server).toBe(server);
  });

  it.each([
    [
      Object.assign(new Error('x'), { code: 'ENOTIMP' }),
      'resolver R does not implement SRV queries (NOTIMP)',
    ],
    [
      Object.assign(new Error('querySrv EWEIRD x'), { code: 'EWEIRD' }),
      'x SRV query failed: querySrv EWEIRD x (resolver R)',
    ],
    ['boom', 'x SRV query failed: boom (resolver R)'],
  ])('describes other resolver errors (%s)', (error, message) => {
    const q = { name: 'x', type: 'SRV' as const, resolver: 'resolver R', timeoutMs: 1000 };
    expect(describeDnsError(error, q, false)).toBe(message);
  });

  it('documents valid examples in docs/checks.md', () => {
    const monitors = loadDocExamples('dns').flatMap((c) => c.monitors);
    expect(monitors.map((m) => m.kind)).toEqual(['dns', 'dns', 'dns']);
  });
});
