import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, alertEvent, alertMessage, manyEvents } from '../../../../test/alert-events.js';
import { closedPort, tcpPeer } from '../../../../test/net-helpers.js';
import { makeTestCerts } from '../../../../test/tls-certs.js';
import { smtpError, smtpReceiver, type SmtpReceiver } from '../../../../test/smtp-receiver.js';
import { notifierContract, type Behaviour, type ContractEndpoint } from '../notifier.contract.js';
import { email } from './index.js';

const PASS = 'smtp-pass-8b7a6c5d';
const base = { from: 'Vigil <alerts@example.com>', to: 'oncall@example.com' };

/** SMTP stand-ins for the contract's behaviours: a 451 is the server error, a 550 the client error. */
async function smtpEndpoint(behaviour: Behaviour): Promise<ContractEndpoint> {
  let arrived: () => void = () => {};
  const received = new Promise<void>((resolve) => (arrived = resolve));
  if (behaviour === 'refused') {
    const port = await closedPort();
    return {
      config: { ...base, host: '127.0.0.1', port },
      received,
      close: () => Promise.resolve(),
    };
  }
  if (behaviour === 'hang') {
    const peer = await tcpPeer(() => arrived()); // accepts, never greets
    return {
      config: { ...base, host: '127.0.0.1', port: peer.port },
      received,
      close: () => peer.close(),
    };
  }
  const receiver = await smtpReceiver({
    onAuth(auth, _session, callback) {
      arrived();
      if (auth.password === PASS) callback(null, { user: auth.username });
      else callback(new Error(`bad password ${String(auth.password)}`));
    },
    onRcptTo(_address, _session, callback) {
      if (behaviour === 'server-error') callback(smtpError(451, `try later, ${PASS}`));
      else if (behaviour === 'client-error') callback(smtpError(550, `no such user, ${PASS}`));
      else callback();
    },
  });
  return {
    config: {
      ...base,
      host: '127.0.0.1',
      port: receiver.port,
      auth: { user: 'vigil', pass: PASS },
    },
    received,
    close: () => receiver.close(),
  };
}

notifierContract({
  notifier: email,
  sampleConfig: { ...base, host: 'smtp.example.com', auth: { user: 'vigil', pass: PASS } },
  secrets: [PASS],
  endpoint: smtpEndpoint,
  maxGroupChars: 250_000, // an email details 100 events with their facts, in text and HTML
});

describe('email', () => {
  let receiver: SmtpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  const ctx = () => ({
    signal: new AbortController().signal,
    clock: new FakeClock({ startWall: T0 }),
  });

  it('delivers a grouped message with a text and an HTML part to a local SMTP server', async () => {
    receiver = await smtpReceiver({
      onAuth: (auth, _s, cb) =>
        auth.password === PASS ? cb(null, { user: auth.username }) : cb(new Error('no')),
    });
    const config = email.schema.parse({
      ...base,
      to: ['oncall@example.com', 'lead@example.com'],
      cc: 'audit@example.com',
      host: '127.0.0.1',
      port: receiver.port,
      auth: { user: 'vigil', pass: PASS },
    });
    const message = alertMessage(
      [alertEvent('db'), alertEvent('api', 'trigger', { reason: 'expected <ok> & got <fail>' })],
      '2 monitors down in core',
    );
    const [payload] = email.render(message, config);
    if (payload === undefined) throw new Error('no payload');
    expect(await email.send(payload, config, ctx())).toMatchObject({ ok: true });
    const mail = receiver.mails[0];
    expect(mail?.user).toBe('vigil');
    expect(mail?.from).toBe('alerts@example.com');
    expect(mail?.to).toEqual(['oncall@example.com', 'lead@example.com', 'audit@example.com']);
    const raw = mail?.raw ?? '';
    expect(raw).toContain('Subject: [Vigil] 2 monitors down in core');
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(payload.text).toContain(
      '* db service (core) is DOWN: connection refused by db.internal:5432',
    );
    expect(payload.text).toContain('    Status: up → down');
    expect(payload.html).toContain('expected &lt;ok&gt; &amp; got &lt;fail&gt;');
    expect(payload.html).toContain(
      '<a href="https://vigil.example.com/monitors/db">db service</a>',
    );
  });

  it('a wrong password is not retryable and the password is never shown', async () => {
    receiver = await smtpReceiver({
      onAuth: (_a, _s, cb) => cb(new Error('Invalid username or password')),
    });
    const config = email.schema.parse({
      ...base,
      host: '127.0.0.1',
      port: receiver.port,
      auth: { user: 'vigil', pass: PASS },
    });
    const [payload] = email.render(alertMessage([alertEvent('db')]), config);
    if (payload === undefined) throw new Error('no payload');
    const result = await email.send(payload, config, ctx());
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) {
      expect(result.error).toContain('EAUTH');
      expect(result.error).not.toContain(PASS);
    }
  });

  it('secure: TLS from the first byte; an unknown CA is refused (not retryable) unless told not to verify', async () => {
    const certs = await makeTestCerts();
    try {
      receiver = await smtpReceiver({ secure: true, key: certs.key, cert: certs.cert });
      const config = (verify: boolean) =>
        email.schema.parse({
          ...base,
          host: '127.0.0.1',
          port: receiver?.port,
          secure: true,
          tlsRejectUnauthorized: verify,
        });
      const [payload] = email.render(alertMessage([alertEvent('db')]), config(true));
      if (payload === undefined) throw new Error('no payload');
      const refused = await email.send(payload, config(true), ctx());
      expect(refused).toMatchObject({ ok: false, retryable: false });
      expect(await email.send(payload, config(false), ctx())).toMatchObject({ ok: true });
      expect(receiver.mails).toHaveLength(1);
    } finally {
      await certs.remove();
    }
  });

  it('lists 100 events and counts the rest', () => {
    const config = email.schema.parse({ ...base, host: 'smtp.example.com' });
    const [payload] = email.render(alertMessage(manyEvents(250)), config);
    expect(payload?.text).toContain('…and 150 more');
    expect(payload?.text).toContain('m99 service');
    expect(payload?.text).not.toContain('m100 service');
  });

  it.each([
    ['a URL as host', { host: 'smtp://mail.example.com' }, 'host'],
    ['no recipient', { to: [] }, 'to'],
    ['a bad address', { to: 'nobody' }, 'to'],
    ['an empty password', { auth: { user: 'u', pass: '' } }, 'auth'],
  ])('refuses %s', (_name, extra, key) => {
    const result = email.schema.safeParse({ ...base, host: 'smtp.example.com', ...extra });
    expect(result.error?.issues[0]?.path[0]).toBe(key);
  });

  it('defaults the port by secure', () => {
    expect(email.schema.parse({ ...base, host: 'h' }).port).toBe(587);
    expect(email.schema.parse({ ...base, host: 'h', secure: true }).port).toBe(465);
  });
});
