import { basename } from 'node:path';
import { systemClock } from '@vigil/resilience';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCertFactory, type CertFactory, type TestCert } from '../../../test/certs.js';
import { runCheck } from '../../../test/check-harness.js';
import { httpTarget, type HttpTarget } from '../../../test/http-target.js';
import { allClosed } from '../../../test/leaks.js';
import { http } from './index.js';

const DAY = 86_400_000;
let certs: CertFactory;
let good: TestCert;
let soon: TestCert;
let expired: TestCert;
let selfSigned: TestCert;
const targets: HttpTarget[] = [];

beforeAll(async () => {
  certs = await createCertFactory();
  [good, soon, expired, selfSigned] = await Promise.all([
    certs.issue({ days: 60 }),
    certs.issue({ days: 5 }),
    certs.issue({
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    }),
    certs.selfSigned({ days: 60 }),
  ]);
});
afterAll(() => certs.close());
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

/** Serves "ok" over HTTPS with `cert` and checks https://localhost:<port>/ with `config`. */
async function check(cert: TestCert, config: Record<string, unknown> = {}) {
  const target = await httpTarget((_req, res) => res.end('ok'), cert);
  targets.push(target);
  const url = target.url('/', 'localhost');
  const result = await runCheck(http, { url, ...config }, { deps: { configDir: certs.dir } });
  expect(await allClosed(target.sockets)).toBe(true);
  return { result, url };
}

const ca = { ca: () => basename(certs.ca.certPath) };

describe('http check over TLS', () => {
  it('passes with a trusted certificate, measuring the tls phase and reporting expiry', async () => {
    const { result, url } = await check(good, { tls: { ca: ca.ca() } });
    expect(result).toMatchObject({ outcome: 'ok', message: `HTTP 200 from ${url}` });
    for (const phase of ['dns', 'connect', 'tls', 'ttfb', 'transfer', 'total'] as const)
      expect(result.phases?.[phase]).toBeGreaterThanOrEqual(0);
    expect(result.details?.certificateDaysLeft).toBeCloseTo(60, 0);
    expect(Date.parse(String(result.details?.certificateExpires))).toBeGreaterThan(
      Date.now() + 59 * DAY,
    );
  });

  it('is degraded when the certificate expires within minDaysValid (default 14)', async () => {
    const { result, url } = await check(soon, { tls: { ca: ca.ca() } });
    expect(result.outcome).toBe('degraded');
    expect(result.message).toMatch(
      new RegExp(
        `^HTTP 200 from ${url}, but certificate for localhost expires in 5 days \\(\\d{4}-\\d\\d-\\d\\d\\)$`,
      ),
    );
    const quiet = await check(soon, {
      tls: { ca: ca.ca() },
      expect: { certificate: { minDaysValid: 0 } },
    });
    expect(quiet.result.outcome).toBe('ok');
    const strict = await check(good, {
      tls: { ca: ca.ca() },
      expect: { certificate: { minDaysValid: 90 } },
    });
    expect(strict.result.outcome).toBe('degraded');
  });

  it('fails on an expired certificate, saying how long ago', async () => {
    const { result } = await check(expired, { tls: { ca: ca.ca() } });
    expect(result).toMatchObject({
      outcome: 'fail',
      message: 'certificate for localhost expired 2 days ago',
    });
    expect(result.phases?.tls).toBeGreaterThanOrEqual(0);
    expect(result.details?.certificateDaysLeft).toBeCloseTo(-2, 0);
  });

  it('with rejectUnauthorized: false, still warns about an expired certificate (degraded)', async () => {
    const { result, url } = await check(expired, { tls: { rejectUnauthorized: false } });
    expect(result.outcome).toBe('degraded');
    expect(result.message).toMatch(
      new RegExp(`^HTTP 200 from ${url}, but certificate for localhost expired 2 days ago`),
    );
  });

  it('rejects a self-signed certificate by default; accepts it with ca or rejectUnauthorized: false', async () => {
    const refused = await check(selfSigned);
    expect(refused.result).toMatchObject({
      outcome: 'fail',
      message: 'certificate for localhost is self-signed',
    });
    const trusted = await check(selfSigned, { tls: { ca: selfSigned.certPath } });
    expect(trusted.result.outcome).toBe('ok');
    const unchecked = await check(selfSigned, { tls: { rejectUnauthorized: false } });
    expect(unchecked.result.outcome).toBe('ok');
  });

  it('makes a full handshake on a fresh connection every run (no session resumed)', async () => {
    const reused: boolean[] = [];
    const target = await httpTarget((req, res) => {
      reused.push((req.socket as unknown as { isSessionReused(): boolean }).isSessionReused());
      res.end('ok');
    }, good);
    targets.push(target);
    const config = http.schema.parse({ url: target.url('/', 'localhost'), tls: { ca: ca.ca() } });
    const deps = {
      clock: systemClock,
      configDir: certs.dir,
      heartbeats: { last: () => undefined },
    };
    const check = await http.create(config, deps, 'm');
    const run = () =>
      check.run({
        signal: new AbortController().signal,
        clock: systemClock,
        timeoutMs: 2000,
        monitorId: 'm',
      });
    const first = await run();
    const second = await run();
    expect([first.outcome, second.outcome]).toEqual(['ok', 'ok']);
    expect(second.phases?.tls).toBeGreaterThan(0);
    expect(target.connections()).toBe(2);
    expect(reused).toEqual([false, false]);
    expect(await allClosed(target.sockets)).toBe(true);
  });

  it('with keepAlive, reuses the connection and still judges its certificate', async () => {
    const target = await httpTarget((_req, res) => res.end('ok'), soon);
    targets.push(target);
    const config = http.schema.parse({
      url: target.url('/', 'localhost'),
      tls: { ca: ca.ca() },
      keepAlive: true,
    });
    const deps = {
      clock: systemClock,
      configDir: certs.dir,
      heartbeats: { last: () => undefined },
    };
    const check = await http.create(config, deps, 'm');
    const run = () =>
      check.run({
        signal: new AbortController().signal,
        clock: systemClock,
        timeoutMs: 2000,
        monitorId: 'm',
      });
    const first = await run();
    const second = await run();
    expect(first.phases?.tls).toBeGreaterThan(0);
    expect(second.phases?.tls).toBeUndefined();
    expect(second.phases?.connect).toBeUndefined();
    expect(target.connections()).toBe(1);
    // The certificate expires in 5 days: degraded on the kept connection as on the fresh one.
    expect([first.outcome, second.outcome]).toEqual(['degraded', 'degraded']);
    expect(second.details?.certificateDaysLeft).toBe(first.details?.certificateDaysLeft);
    await check.close?.();
    expect(await allClosed(target.sockets)).toBe(true);
  });

  it('names an untrusted issuer', async () => {
    const { result } = await check(good);
    expect(result.message).toBe(
      'certificate for localhost is signed by an unknown authority (CN=Vigil Test CA)',
    );
  });

  it('checks the certificate against servername when set', async () => {
    const target = await httpTarget((_req, res) => res.end('ok'), good);
    targets.push(target);
    const deps = { deps: { configDir: certs.dir } };
    const byIp = await runCheck(
      http,
      { url: target.url('/'), tls: { ca: ca.ca(), servername: 'localhost' } },
      deps,
    );
    expect(byIp.outcome).toBe('ok');
    const wrong = await runCheck(
      http,
      { url: target.url('/'), tls: { ca: ca.ca(), servername: 'api.example.test' } },
      deps,
    );
    expect(wrong.message).toBe(
      'certificate for api.example.test does not match the host name (it is for DNS:localhost, IP Address:127.0.0.1)',
    );
  });

  it('fails naming the file when the CA file cannot be read', async () => {
    const { result } = await check(good, { tls: { ca: 'nope.pem' } });
    expect(result.message).toBe(`cannot read CA file ${certs.dir}/nope.pem (ENOENT)`);
  });

  it('says so when an https URL points at a plain HTTP port', async () => {
    const target = await httpTarget((_req, res) => res.end('ok'));
    targets.push(target);
    const r = await runCheck(http, { url: `https://127.0.0.1:${target.port}/` });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(
        `^TLS handshake with 127\\.0\\.0\\.1:${target.port} failed: .+ \\(is it a TLS port\\?\\)$`,
      ),
    );
    expect(await allClosed(target.sockets)).toBe(true);
  });

  it('follows a redirect from HTTPS to another host and reports the soonest certificate expiry', async () => {
    const final = await httpTarget((_req, res) => res.end('ok'), soon);
    targets.push(final);
    const first = await httpTarget(
      (_req, res) => res.writeHead(302, { location: final.url('/done', 'localhost') }).end(),
      good,
    );
    targets.push(first);
    const r = await runCheck(
      http,
      { url: first.url('/', 'localhost'), tls: { ca: ca.ca() } },
      { deps: { configDir: certs.dir } },
    );
    expect(r.outcome).toBe('degraded');
    expect(r.details).toMatchObject({ redirects: 1, url: final.url('/done', 'localhost') });
    expect(r.details?.certificateDaysLeft).toBeCloseTo(5, 0);
    expect(await allClosed(first.sockets)).toBe(true);
    expect(await allClosed(final.sockets)).toBe(true);
  });
});
