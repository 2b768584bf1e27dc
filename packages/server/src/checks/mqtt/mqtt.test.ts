import type { Socket } from 'node:net';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/check-harness.js';
import { withoutLeaks } from '../../../test/leaks.js';
import { closedPort, tcpPeer, type Peer } from '../../../test/net-helpers.js';
import { tlsProxy, type TlsProxy } from '../../../test/tls-proxy.js';
import {
  findBinary,
  mosquittoPasswd,
  startBroker,
  type PrivateBroker,
} from '../../../test/private-broker.js';
import { mqtt } from './index.js';

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
const peer = async (...args: Parameters<typeof tcpPeer>) => {
  const p = await tcpPeer(...args);
  peers.push(p);
  return p;
};

describe('mqtt check against Mosquitto', () => {
  it('connects with a unique client id, with the connect phase', async () => {
    const r = await withoutLeaks(() => runCheck(mqtt, MOSQUITTO, { monitorId: 'broker' }));
    expect(r).toMatchObject({ outcome: 'ok', message: 'connected to 127.0.0.1:1883 (MQTT 3.1.1)' });
    expect(r.details?.clientId).toMatch(/^vigil-broker-[\w-]{12}$/);
    expect(r.phases?.connect).toBeGreaterThan(0);
  });

  it('takes a URL, a client id and MQTT 5', async () => {
    const r = await runCheck(mqtt, {
      url: 'mqtt://127.0.0.1:1883',
      clientId: 'vigil-fixed-id',
      protocolVersion: 5,
    });
    expect(r).toMatchObject({
      outcome: 'ok',
      message: 'connected to 127.0.0.1:1883 (MQTT 5.0)',
      details: { clientId: 'vigil-fixed-id', protocol: 'MQTT 5.0' },
    });
  });

  it.each([0, 1, 2] as const)('makes a round trip at QoS %i', async (qos) => {
    const topic = `vigil/test/${qos}/${process.pid}`;
    const r = await withoutLeaks(() => runCheck(mqtt, { ...MOSQUITTO, roundTrip: { topic, qos } }));
    expect(r.outcome).toBe('ok');
    expect(r.message).toMatch(
      new RegExp(
        `^message on "${topic}" came back in [\\d.]+ms \\(127\\.0\\.0\\.1:1883, QoS ${qos}\\)$`,
      ),
    );
    expect(r.phases?.roundTrip).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(
      (r.phases?.connect ?? 0) + (r.phases?.roundTrip ?? 0) - 0.02,
    );
  });

  it('makes a round trip over MQTT 3.1 (short client id) and 5', async () => {
    const roundTrip = { topic: `vigil/test/versions/${process.pid}` };
    const v3 = await runCheck(mqtt, { ...MOSQUITTO, protocolVersion: 3, roundTrip });
    expect(v3.outcome).toBe('ok');
    expect(String(v3.details?.clientId).length).toBeLessThanOrEqual(23);
    const v5 = await runCheck(mqtt, { ...MOSQUITTO, protocolVersion: 5, roundTrip });
    expect(v5.outcome).toBe('ok');
  });

  it('uses a new client id on every run, even within the same instant', async () => {
    // Time stands still on a FakeClock: only the run sequence tells the runs apart.
    const clock = new FakeClock();
    const deps = { clock, configDir: '.', heartbeats: { last: () => undefined } };
    const check = await mqtt.create(mqtt.schema.parse(MOSQUITTO), deps, 'm');
    const ids = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const ctx = { signal: new AbortController().signal, clock, timeoutMs: 2000, monitorId: 'm' };
      const r = await check.run(ctx);
      expect(r.outcome).toBe('ok');
      ids.add(r.details?.clientId);
    }
    expect(ids.size).toBe(3);
  });
});

const mosquitto = findBinary('mosquitto');

describe.skipIf(mosquitto === undefined)('mqtt check against a private Mosquitto', () => {
  let broker: PrivateBroker;
  let secure: number;
  let websocket: number;
  beforeAll(async () => {
    broker = await startBroker(
      mosquitto ?? '',
      (dir) => ['-c', `${dir}/mosquitto.conf`],
      2,
      (dir, [port, ws]) => {
        mosquittoPasswd(dir, 'alice', 'wonderland');
        const acl = 'user alice\ntopic readwrite vigil/#\ntopic read readonly/#\n';
        return {
          acl,
          'mosquitto.conf': [
            'per_listener_settings true',
            `listener ${port} 127.0.0.1`,
            'allow_anonymous false',
            `password_file ${dir}/passwd`,
            `acl_file ${dir}/acl`,
            `listener ${ws} 127.0.0.1`,
            'protocol websockets',
            'allow_anonymous true',
            '',
          ].join('\n'),
        };
      },
    );
    [secure = 0, websocket = 0] = broker.ports;
  });
  afterAll(() => broker.stop());

  const alice = () => ({
    host: '127.0.0.1',
    port: secure,
    username: 'alice',
    password: 'wonderland',
  });

  it('passes with the right credentials', async () => {
    const r = await runCheck(mqtt, { ...alice(), roundTrip: { topic: 'vigil/probe' } });
    expect(r.outcome).toBe('ok');
  });

  it.each([
    [4, 'not authorized (CONNACK 5)'],
    [5, 'not authorized (CONNACK 135)'],
  ] as const)(
    'reports a wrong password (MQTT version %i) without it',
    async (protocolVersion, why) => {
      const r = await withoutLeaks(() =>
        runCheck(mqtt, { ...alice(), password: 'looking-glass', protocolVersion }),
      );
      expect(r).toMatchObject({
        outcome: 'fail',
        message: `127.0.0.1:${secure} refused the connection: ${why}`,
      });
      expect(JSON.stringify(r)).not.toContain('looking-glass');
    },
  );

  it('times out naming the topic when the broker drops the publish (MQTT 3.1.1)', async () => {
    const r = await withoutLeaks(() =>
      runCheck(mqtt, { ...alice(), roundTrip: { topic: 'readonly/probe' } }, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms waiting for the message on "readonly/probe" (127.0.0.1:${secure})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it('reports a publish the broker refuses (MQTT 5)', async () => {
    const r = await runCheck(mqtt, {
      ...alice(),
      protocolVersion: 5,
      roundTrip: { topic: 'readonly/probe' },
    });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${secure} refused the publish to "readonly/probe": .* \\(reason code 135\\)$`,
      ),
    );
  });

  it('connects and makes a round trip over WebSocket', async () => {
    const r = await withoutLeaks(() =>
      runCheck(mqtt, { url: `ws://127.0.0.1:${websocket}`, roundTrip: { topic: 'vigil/ws' } }),
    );
    expect(r.outcome).toBe('ok');
    expect(r.message).toContain(`(127.0.0.1:${websocket}, QoS 1)`);
  });
});

describe('mqtt check over TLS (a TLS front with a self-signed certificate)', () => {
  let proxy: TlsProxy;
  beforeAll(async () => {
    proxy = await tlsProxy(1883);
  });
  afterAll(() => proxy.close());

  it('refuses a certificate it cannot verify', async () => {
    const r = await withoutLeaks(() =>
      runCheck(mqtt, { host: '127.0.0.1', port: proxy.port, tls: true }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate (127.0.0.1:${proxy.port})`,
    });
  });

  it('makes a round trip with rejectUnauthorized: false, by host or by mqtts:// URL', async () => {
    const roundTrip = { topic: `vigil/test/tls/${process.pid}` };
    const byHost = await withoutLeaks(() =>
      runCheck(mqtt, {
        host: '127.0.0.1',
        port: proxy.port,
        tls: { rejectUnauthorized: false },
        roundTrip,
      }),
    );
    expect(byHost.outcome).toBe('ok');
    const byUrl = await runCheck(mqtt, {
      url: `mqtts://127.0.0.1:${proxy.port}`,
      tls: { rejectUnauthorized: false, servername: 'localhost' },
    });
    expect(byUrl).toMatchObject({
      outcome: 'ok',
      message: `connected to 127.0.0.1:${proxy.port} (MQTT 3.1.1)`,
    });
  });
});

describe('mqtt check against hostile targets', () => {
  it('fails with "connection refused" on a closed port', async () => {
    const port = await closedPort();
    const r = await withoutLeaks(() => runCheck(mqtt, { host: '127.0.0.1', port }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('times out at the configured limit against a peer that never answers', async () => {
    const p = await peer((s) => s.resume());
    const r = await withoutLeaks(() =>
      runCheck(mqtt, { host: '127.0.0.1', port: p.port }, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `timed out after 300ms (127.0.0.1:${p.port})`,
    });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r.latencyMs).toBeLessThan(1000);
  });

  it.each([
    ['RabbitMQ', 5672],
    ['NATS', 4222],
  ])('reports the wrong protocol from %s', async (_name, port) => {
    const r = await withoutLeaks(() => runCheck(mqtt, { host: '127.0.0.1', port }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:${port} did not answer with MQTT \\(.+\\)$`),
    );
  });

  it('reports a peer that sends garbage', async () => {
    const p = await peer((s) => s.resume().write('SSH-2.0-OpenSSH_9.2\r\n'));
    const r = await withoutLeaks(() => runCheck(mqtt, { host: '127.0.0.1', port: p.port }));
    expect(r.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${p.port} did not answer with MQTT`));
  });

  it('reports a subscription the broker refuses in its SUBACK', async () => {
    const p = await peer(fakeBroker('refuse-subscribe'));
    const r = await withoutLeaks(() =>
      runCheck(mqtt, { host: '127.0.0.1', port: p.port, roundTrip: { topic: 'vigil/probe' } }),
    );
    expect(r).toMatchObject({
      outcome: 'fail',
      message: `127.0.0.1:${p.port} refused the subscription to "vigil/probe" (unspecified error)`,
    });
  });

  it('reports a broker that closes the connection during the round trip', async () => {
    const p = await peer(fakeBroker('close-on-subscribe'));
    const r = await runCheck(mqtt, {
      host: '127.0.0.1',
      port: p.port,
      roundTrip: { topic: 'vigil/probe' },
    });
    expect(r.message).toBe(
      `127.0.0.1:${p.port} closed the connection while subscribing to "vigil/probe"`,
    );
  });

  it('times out naming the step when the broker never acknowledges the subscription', async () => {
    const p = await peer(fakeBroker('ignore-subscribe'));
    const r = await withoutLeaks(() =>
      runCheck(
        mqtt,
        { host: '127.0.0.1', port: p.port, roundTrip: { topic: 'vigil/probe' } },
        { timeoutMs: 300 },
      ),
    );
    expect(r.message).toBe(
      `timed out after 300ms subscribing to "vigil/probe" (127.0.0.1:${p.port})`,
    );
  });

  it('reports a peer that closes before CONNACK', async () => {
    const p = await peer((s) => s.once('data', () => s.end()));
    const r = await runCheck(mqtt, { host: '127.0.0.1', port: p.port });
    expect(r.message).toBe(
      `127.0.0.1:${p.port} closed the connection before accepting it (is it an MQTT broker?)`,
    );
  });

  it('times out against Redis, which waits for more', async () => {
    const r = await runCheck(mqtt, { host: '127.0.0.1', port: 6379 }, { timeoutMs: 300 });
    expect(r.message).toBe('timed out after 300ms (127.0.0.1:6379)');
  });

  it('reports a host that does not resolve', async () => {
    const r = await withoutLeaks(() => runCheck(mqtt, { host: 'nonexistent.invalid' }));
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'cannot resolve host of nonexistent.invalid:1883 (ENOTFOUND)',
    });
  });
});

/**
 * Just enough of an MQTT 3.1.1 broker for what Mosquitto will not do: it accepts the connection, then
 * answers a SUBSCRIBE by refusing it (SUBACK 0x80), by closing, or not at all.
 */
function fakeBroker(mode: 'refuse-subscribe' | 'close-on-subscribe' | 'ignore-subscribe') {
  return (socket: Socket): void => {
    socket.on('data', (packet: Buffer) => {
      const type = (packet[0] ?? 0) >> 4;
      if (type === 1) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK accepted
      if (type !== 8) return; // SUBSCRIBE: remaining length (1 byte here), then the packet id
      if (mode === 'close-on-subscribe') socket.end();
      if (mode === 'refuse-subscribe')
        socket.write(Buffer.from([0x90, 0x03, packet[2] ?? 0, packet[3] ?? 0, 0x80]));
    });
  };
}
