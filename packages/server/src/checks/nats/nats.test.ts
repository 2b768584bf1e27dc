import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { withoutLeaks } from '../../../test/leaks.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { findBinary, startBroker, type PrivateBroker } from '../../../test/private-broker.js';
import { nats } from './index.js';

const NATS = { url: '127.0.0.1:4222' };
const subject = (name: string) => `vigil.test.${name}.${process.pid}`;

// The test's own connection, for responders.
let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' });
});
afterAll(() => nc.drain());

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const peer = async (...args: Parameters<typeof tcpPeer>) => {
  const p = await tcpPeer(...args);
  peers.push(p);
  return p;
};

/** Answers requests on `name` with `reply(payload)` while `fn` runs. */
async function withResponder<T>(
  name: string,
  reply: ((payload: string) => string) | 'never',
  fn: () => Promise<T>,
): Promise<T> {
  const sub = nc.subscribe(name, {
    callback: (_error, msg) => {
      if (reply !== 'never') msg.respond(new TextEncoder().encode(reply(msg.string())));
    },
  });
  await nc.flush();
  try {
    return await fn();
  } finally {
    sub.unsubscribe();
  }
}

describe('nats check against NATS', () => {
  it('connects and reports the server version, with the connect phase', async () => {
    const r = await withoutLeaks(() => runCheck(nats, NATS));
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(/^connected to NATS \d+\.\d+\.\d+ at 127\.0\.0\.1:4222$/);
    expect(r.details).toMatchObject({ server: '127.0.0.1:4222' });
    expect(r.phases?.connect).toBeGreaterThan(0);
  });

  it('uses the next server of a list when the first refuses', async () => {
    const port = await closedPort();
    const r = await runCheck(nats, {
      servers: [`nats://127.0.0.1:${port}`, 'nats://127.0.0.1:4222'],
    });
    expect(r).toMatchObject({ outcome: 'ok', details: { server: '127.0.0.1:4222' } });
  });

  it('passes when a responder answers, sending the payload', async () => {
    const name = subject('echo');
    const r = await withResponder(
      name,
      (payload) => `pong ${payload}`,
      () =>
        withoutLeaks(() =>
          runCheck(nats, {
            ...NATS,
            request: { subject: name, payload: 'ping', expect: 'pong ping' },
          }),
        ),
    );
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(
      new RegExp(`^reply on "${name}" in [\\d.]+ms \\(127\\.0\\.0\\.1:4222\\)$`),
    );
    expect(r.phases?.roundTrip).toBeGreaterThan(0);
  });

  it('fails naming the reply when it lacks the expected text', async () => {
    const name = subject('unhealthy');
    const r = await withResponder(
      name,
      () => '{"status":"starting"}',
      () => runCheck(nats, { ...NATS, request: { subject: name, expect: '"status":"ok"' } }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `reply on "${name}" was "{\\"status\\":\\"starting\\"}", expected it to contain "\\"status\\":\\"ok\\""`,
    });
  });

  it('fails naming the subject when no one listens (503 no responders)', async () => {
    const name = subject('nobody');
    const r = await withoutLeaks(() => runCheck(nats, { ...NATS, request: { subject: name } }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `no responders on "${name}" (127.0.0.1:4222)`,
    });
  });

  it('times out naming the subject when the responder never answers', async () => {
    const name = subject('silent');
    const r = await withResponder(name, 'never', () =>
      withoutLeaks(() =>
        runCheck(nats, { ...NATS, request: { subject: name } }, { timeoutMs: 300 }),
      ),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms waiting for a reply on "${name}" (127.0.0.1:4222)`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it('makes a publish/subscribe round trip and leaves no subscription behind', async () => {
    const name = subject('roundtrip');
    const r = await withoutLeaks(() => runCheck(nats, { ...NATS, roundTrip: { subject: name } }));
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(new RegExp(`^message came back on "${name}" in [\\d.]+ms`));
    expect(r.phases?.roundTrip).toBeGreaterThan(0);
  });
});

const natsServer = findBinary('nats-server');

describe.skipIf(natsServer === undefined)('nats check against private NATS servers', () => {
  let users: PrivateBroker;
  let tokens: PrivateBroker;
  let userPort: number;
  let tokenPort: number;
  beforeAll(async () => {
    users = await startBroker(
      natsServer ?? '',
      (dir) => ['-c', `${dir}/nats.conf`],
      1,
      (_dir, [port]) => ({
        'nats.conf': `listen: "127.0.0.1:${port}"
authorization {
  users = [{
    user: alice, password: wonderland,
    permissions: {
      publish: { allow: ["vigil.>", "readonly.>", "_INBOX.>"], deny: ["readonly.>"] },
      subscribe: { allow: ["vigil.>", "readonly.>", "_INBOX.>"] }
    }
  }]
}
`,
      }),
    );
    tokens = await startBroker(
      natsServer ?? '',
      (_dir, [port]) => ['-a', '127.0.0.1', '-p', String(port), '--auth', 'open-sesame'],
      1,
    );
    [userPort = 0] = users.ports;
    [tokenPort = 0] = tokens.ports;
  });
  afterAll(async () => {
    await users.stop();
    await tokens.stop();
  });

  it('passes with the right user and password, or token', async () => {
    const a = await runCheck(nats, {
      url: `127.0.0.1:${userPort}`,
      user: 'alice',
      password: 'wonderland',
      roundTrip: { subject: 'vigil.probe' },
    });
    expect(a.outcome).toBe('ok');
    const t = await runCheck(nats, { url: `127.0.0.1:${tokenPort}`, token: 'open-sesame' });
    expect(t.outcome).toBe('ok');
  });

  it.each([
    [
      'a wrong password',
      () => ({ url: `127.0.0.1:${userPort}`, user: 'alice', password: 'looking-glass' }),
      () => userPort,
    ],
    ['no credentials', () => ({ url: `127.0.0.1:${userPort}` }), () => userPort],
    [
      'a wrong token',
      () => ({ url: `127.0.0.1:${tokenPort}`, token: 'looking-glass' }),
      () => tokenPort,
    ],
  ])('reports %s without the secret', async (_name, config, port) => {
    const r = await withoutLeaks(() => runCheck(nats, config()));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${port()} refused the login: authorization violation (check user/password or token)`,
    });
    expect(JSON.stringify(r)).not.toContain('looking-glass');
  });

  it('reports a subscription the server does not permit', async () => {
    const r = await runCheck(nats, {
      url: `127.0.0.1:${userPort}`,
      user: 'alice',
      password: 'wonderland',
      roundTrip: { subject: 'forbidden.probe' },
    });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${userPort} refused: Permissions Violation for Subscription to "forbidden.probe"`,
        'i',
      ),
    );
  });

  it('times out naming the subject when publishing is not permitted', async () => {
    const r = await runCheck(
      nats,
      {
        url: `127.0.0.1:${userPort}`,
        user: 'alice',
        password: 'wonderland',
        roundTrip: { subject: 'readonly.probe' },
      },
      { timeoutMs: 300 },
    );
    expect(r.message).toBe(
      `timed out after 300ms waiting for the message on "readonly.probe" (127.0.0.1:${userPort})`,
    );
  });
});

describe('nats check against hostile targets', () => {
  it('fails with "connection refused" on a closed port', async () => {
    const port = await closedPort();
    const r = await withoutLeaks(() => runCheck(nats, { url: `127.0.0.1:${port}` }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('times out at the configured limit against a peer that never answers, leaving no socket', async () => {
    const p = await peer((s) => s.resume());
    const r = await withoutLeaks(() =>
      runCheck(nats, { url: `127.0.0.1:${p.port}` }, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (127.0.0.1:${p.port})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it('closes the sockets of servers it has not reached yet when it times out', async () => {
    const a = await peer((s) => s.resume());
    const b = await peer((s) => s.resume());
    const r = await withoutLeaks(() =>
      runCheck(
        nats,
        { servers: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`] },
        { timeoutMs: 300 },
      ),
    );
    expect(r.message).toBe(`timed out after 300ms (127.0.0.1:${a.port}, 127.0.0.1:${b.port})`);
  });

  it('leaves a check running beside it alone when it destroys its own sockets', async () => {
    const hole = await peer((s) => s.resume());
    const [stuck, healthy] = await withoutLeaks(() =>
      Promise.all([
        runCheck(nats, { url: `127.0.0.1:${hole.port}` }, { timeoutMs: 200 }),
        runCheck(nats, { ...NATS, roundTrip: { subject: subject('beside') } }, { timeoutMs: 2000 }),
      ]),
    );
    expect(stuck.message).toBe(`timed out after 200ms (127.0.0.1:${hole.port})`);
    expect(healthy.outcome).toBe('ok');
  });

  it.each([
    ['RabbitMQ', 5672],
    ['Mosquitto', 1883],
  ])('times out against %s, which waits for the client to speak', async (_name, port) => {
    const r = await withoutLeaks(() =>
      runCheck(nats, { url: `127.0.0.1:${port}` }, { timeoutMs: 300 }),
    );
    expect(r.message).toBe(`timed out after 300ms (127.0.0.1:${port})`);
  });

  it.each([
    ['garbage', 'SSH-2.0-OpenSSH_9.2\r\n', 'unexpected response from server'],
    ['a broken INFO', 'INFO {"server_id": \r\n', 'JSON'],
  ])('reports a peer that sends %s', async (_name, text, why) => {
    const p = await peer((s) => s.resume().write(text));
    const r = await withoutLeaks(() => runCheck(nats, { url: `127.0.0.1:${p.port}` }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:${p.port} did not answer with NATS \\(.*${why}`),
    );
  });

  it('reports a host that does not resolve', async () => {
    const r = await withoutLeaks(() => runCheck(nats, { url: 'nats://nonexistent.invalid:4222' }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'cannot resolve host of nonexistent.invalid:4222 (ENOTFOUND)',
    });
  });
});
