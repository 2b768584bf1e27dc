import { randomUUID } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as amqpConnect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { withoutLeaks } from '../../../test/leaks.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { tlsProxy, type TlsProxy } from '../../../test/tls-proxy.js';
import { amqp } from './index.js';

const RABBIT = { host: '127.0.0.1', port: 5672 };

// An admin connection of the test's own, to create, fill and delete the queues it checks.
let admin: ChannelModel;
let channel: ConfirmChannel;
const queues: string[] = [];
beforeAll(async () => {
  admin = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
  channel = await admin.createConfirmChannel();
});
afterAll(async () => {
  for (const q of queues) await channel.deleteQueue(q);
  await admin.close();
});

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const peer = async (...args: Parameters<typeof tcpPeer>) => {
  const p = await tcpPeer(...args);
  peers.push(p);
  return p;
};

/** A queue of the test's own holding `messages` messages (deleted after the tests). */
async function testQueue(messages = 0, durable = false): Promise<string> {
  const name = `vigil-test-${randomUUID()}`;
  await channel.assertQueue(name, { durable, autoDelete: false });
  queues.push(name);
  for (let i = 0; i < messages; i++) channel.sendToQueue(name, Buffer.from(`m${i}`));
  await channel.waitForConfirms();
  return name;
}

/** Whether a queue exists, asked on a throwaway channel (a missing queue closes it). */
async function queueExists(name: string): Promise<boolean> {
  const probe = await admin.createChannel();
  probe.on('error', () => {});
  try {
    await probe.checkQueue(name);
    await probe.close();
    return true;
  } catch {
    return false;
  }
}

describe('amqp check against RabbitMQ', () => {
  it('connects and reports the broker, with the connect phase', async () => {
    const r = await withoutLeaks(() => runCheck(amqp, RABBIT));
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(
      /^connected to RabbitMQ \d+\.\d+\.\d+ at 127\.0\.0\.1:5672 \(vhost "\/"\)$/,
    );
    expect(r.details).toMatchObject({ product: 'RabbitMQ' });
    expect(r.phases?.connect).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(r.phases?.connect ?? 0);
  });

  it('takes a URL with credentials and an escaped vhost', async () => {
    const r = await runCheck(amqp, { url: 'amqp://guest:guest@127.0.0.1:5672/%2F' });
    expect(r.outcome).toBe('ok');
    expect(r.message).toContain('at 127.0.0.1:5672 (vhost "/")');
  });

  it('reports the depth of an existing queue as its value, without changing it', async () => {
    const name = await testQueue(3);
    const r = await withoutLeaks(() =>
      runCheck(amqp, { ...RABBIT, queue: { name, maxMessages: 3, minConsumers: 0 } }),
    );
    expect(r).toMatchObject({
      outcome: 'ok',
      message: `queue "${name}" has 3 messages and 0 consumers`,
      value: 3,
      details: { messages: 3, consumers: 0, declared: false },
    });
    expect(r.phases?.query).toBeGreaterThan(0);
    const again = await runCheck(amqp, { ...RABBIT, queue: { name } });
    expect(again.value).toBe(3);
  });

  it('fails, or degrades, when the queue holds more messages than maxMessages', async () => {
    const name = await testQueue(3);
    const r = await runCheck(amqp, { ...RABBIT, queue: { name, maxMessages: 2 } });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `queue "${name}" has 3 messages and 0 consumers: more than 2 messages`,
      value: 3,
    });
    const soft = await runCheck(amqp, {
      ...RABBIT,
      queue: { name, maxMessages: 2, severity: 'degraded' },
    });
    expect(soft).toMatchObject({ outcome: 'degraded', message: r.message });
  });

  it('checks the consumer count against minConsumers', async () => {
    const name = await testQueue(0);
    const none = await runCheck(amqp, { ...RABBIT, queue: { name, minConsumers: 1 } });
    expect(none).toMatchObject({
      outcome: 'fail',
      message: `queue "${name}" has 0 messages and 0 consumers: fewer than 1 consumer`,
    });
    const consumer = await admin.createChannel();
    await consumer.consume(name, () => {});
    try {
      const one = await runCheck(amqp, { ...RABBIT, queue: { name, minConsumers: 1 } });
      expect(one).toMatchObject({
        outcome: 'ok',
        message: `queue "${name}" has 0 messages and 1 consumer`,
      });
    } finally {
      await consumer.close();
    }
  });

  it('names both breaches at once', async () => {
    const name = await testQueue(2);
    const r = await runCheck(amqp, { ...RABBIT, queue: { name, maxMessages: 0, minConsumers: 2 } });
    expect(r.message).toBe(
      `queue "${name}" has 2 messages and 0 consumers: more than 0 messages, fewer than 2 consumers`,
    );
  });

  it('fails naming a missing queue, and does not create it (passive by default)', async () => {
    const name = `vigil-test-missing-${randomUUID()}`;
    const r = await withoutLeaks(() => runCheck(amqp, { ...RABBIT, queue: { name } }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `queue "${name}" not found on vhost "/" (127.0.0.1:5672)`,
    });
    expect(await queueExists(name)).toBe(false);
  });

  it('with declare, creates a missing queue non-durable and auto-delete', async () => {
    const name = `vigil-test-declared-${randomUUID()}`;
    queues.push(name);
    const r = await runCheck(amqp, { ...RABBIT, queue: { name, declare: true } });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: `queue "${name}" has 0 messages and 0 consumers (declared by this check: it did not exist)`,
      details: { declared: true },
    });
    // It is non-durable: redeclaring it durable is refused by the broker.
    const probe = await admin.createChannel();
    probe.on('error', () => {});
    await expect(probe.assertQueue(name, { durable: true })).rejects.toThrow(
      /inequivalent arg 'durable'/,
    );
  });

  it('with declare, never redeclares an existing queue (whatever its arguments)', async () => {
    const name = await testQueue(1, true);
    const r = await runCheck(amqp, { ...RABBIT, queue: { name, declare: true } });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: `queue "${name}" has 1 message and 0 consumers`,
      details: { declared: false },
    });
  });

  it('reports a refused login without the password', async () => {
    const r = await withoutLeaks(() =>
      runCheck(amqp, { ...RABBIT, username: 'guest', password: 'not-the-password' }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'login refused by 127.0.0.1:5672 for user "guest" (ACCESS_REFUSED)',
    });
    const viaUrl = await runCheck(amqp, { url: 'amqp://guest:s3cret-pw@127.0.0.1:5672' });
    expect(viaUrl.message).toBe(r.message);
    expect(JSON.stringify(viaUrl)).not.toContain('s3cret-pw');
  });

  it('reports an unknown vhost', async () => {
    const r = await runCheck(amqp, { ...RABBIT, vhost: 'no-such-vhost' });
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'vhost "no-such-vhost" not found or not allowed for user "guest" (127.0.0.1:5672)',
    });
  });
});

describe('amqp check over TLS (a TLS front with a self-signed certificate)', () => {
  let proxy: TlsProxy;
  beforeAll(async () => {
    proxy = await tlsProxy(5672);
  });
  afterAll(() => proxy.close());

  it('refuses a certificate it cannot verify', async () => {
    const r = await withoutLeaks(() =>
      runCheck(amqp, { host: '127.0.0.1', port: proxy.port, tls: true }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate (127.0.0.1:${proxy.port})`,
    });
  });

  it('connects with rejectUnauthorized: false, by host or by amqps:// URL', async () => {
    const byHost = await withoutLeaks(() =>
      runCheck(amqp, { host: '127.0.0.1', port: proxy.port, tls: { rejectUnauthorized: false } }),
    );
    expect(byHost.outcome).toBe('ok');
    expect(byHost.message).toContain(`at 127.0.0.1:${proxy.port}`);
    const byUrl = await runCheck(amqp, {
      url: `amqps://guest:guest@127.0.0.1:${proxy.port}`,
      tls: { rejectUnauthorized: false, servername: 'localhost' },
    });
    expect(byUrl.outcome).toBe('ok');
  });
});

describe('amqp check against hostile targets', () => {
  it('fails with "connection refused" on a closed port', async () => {
    const port = await closedPort();
    const r = await withoutLeaks(() => runCheck(amqp, { host: '127.0.0.1', port }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('times out at the configured limit against a peer that never answers', async () => {
    // It reads (so it sees the client go) but never answers.
    const p = await peer((s) => s.resume());
    const r = await withoutLeaks(() =>
      runCheck(amqp, { host: '127.0.0.1', port: p.port }, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (127.0.0.1:${p.port})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it('times out, and closes the connection, when the broker stalls after the handshake', async () => {
    let stalled = false;
    const proxy = await peer((s) => stallAfterHandshake(s, () => (stalled = true)));
    const r = await withoutLeaks(() =>
      runCheck(
        amqp,
        { host: '127.0.0.1', port: proxy.port, queue: { name: 'anything' } },
        { timeoutMs: 300 },
      ),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (127.0.0.1:${proxy.port})`,
    });
    expect(stalled).toBe(true);
  });

  it.each([
    ['a NATS server', 4222, /^127\.0\.0\.1:4222 did not answer with AMQP 0-9-1 \(Frame size/],
    [
      'an MQTT broker',
      1883,
      /^(connection reset by|127\.0\.0\.1:1883 closed the connection).*AMQP handshake/,
    ],
  ])('reports the wrong protocol from %s', async (_name, port, pattern) => {
    const r = await withoutLeaks(() => runCheck(amqp, { host: '127.0.0.1', port }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(pattern);
  });

  it('reports a peer that sends garbage', async () => {
    const p = await peer((s) => s.resume().write('SSH-2.0-OpenSSH_9.2\r\n'.repeat(4)));
    const r = await withoutLeaks(() => runCheck(amqp, { host: '127.0.0.1', port: p.port }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:${p.port} did not answer with AMQP 0-9-1`),
    );
  });

  it('reports a peer that closes during the handshake', async () => {
    const p = await peer((s) => s.once('data', () => s.end()));
    const r = await runCheck(amqp, { host: '127.0.0.1', port: p.port });
    expect(r.message).toBe(
      `127.0.0.1:${p.port} closed the connection during the AMQP handshake (is it an AMQP 0-9-1 broker?)`,
    );
  });

  it('times out against Redis, which waits for more', async () => {
    const r = await runCheck(amqp, { host: '127.0.0.1', port: 6379 }, { timeoutMs: 300 });
    expect(r.message).toBe('timed out after 300ms (127.0.0.1:6379)');
  });

  it('fails on TLS against a plain AMQP port', async () => {
    const r = await withoutLeaks(() => runCheck(amqp, { url: 'amqps://127.0.0.1:5672' }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/wrong version number.*\(127\.0\.0\.1:5672\)$/s);
  });

  it('reports a host that does not resolve', async () => {
    const r = await withoutLeaks(() => runCheck(amqp, { host: 'nonexistent.invalid' }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'cannot resolve host of nonexistent.invalid:5672 (ENOTFOUND)',
    });
  });
});

/** A proxy to RabbitMQ that passes the connection handshake, then swallows the first channel frame. */
function stallAfterHandshake(client: Socket, onStall: () => void): void {
  const upstream = netConnect(5672, '127.0.0.1');
  upstream.on('error', () => {});
  client.on('close', () => upstream.destroy());
  upstream.pipe(client);
  client.on('data', (chunk: Buffer) => {
    // A frame on channel 1 (type byte, then the channel number) means the handshake is over.
    const onChannel = chunk.length > 3 && chunk[0] === 1 && chunk.readUInt16BE(1) === 1;
    if (onChannel) {
      client.pause();
      onStall();
    } else upstream.write(chunk);
  });
}
