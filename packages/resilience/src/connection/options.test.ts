import { describe, expect, it } from 'vitest';
import { lineCodec } from '../../test/net-peer.js';
import { constant } from '../backoff/index.js';
import { createConnection } from './connection.js';
import type { ConnectionOptions } from './options.js';
import { createRedisClient, type RedisClientOptions } from './resp/index.js';

const base = { codec: lineCodec, port: 6399, autoConnect: false } as const;

describe('createConnection options', () => {
  it.each<[string, Partial<ConnectionOptions<string, string>>, RegExp]>([
    ['no port', { port: undefined as never }, /port is required/],
    ['port 0', { port: 0 }, /port must be an integer in 1\.\.65535, got 0/],
    ['port 70000', { port: 70_000 }, /port must be an integer in 1\.\.65535/],
    [
      'port as a string',
      { port: '6379' as never },
      /port must be an integer in 1\.\.65535, got "6379"/,
    ],
    ['no codec', { codec: undefined as never }, /codec must have encode\(\) and createDecoder\(\)/],
    [
      'codec.isPush not a function',
      { codec: { ...lineCodec, isPush: 1 as never } },
      /codec\.isPush must be a function/,
    ],
    ['empty host', { host: '' }, /host must be a non-empty string, got ""/],
    [
      'NaN connectTimeoutMs',
      { connectTimeoutMs: NaN },
      /connectTimeoutMs must be a number of ms > 0.*got NaN/,
    ],
    [
      'zero requestTimeoutMs',
      { requestTimeoutMs: 0 },
      /requestTimeoutMs must be a number of ms > 0/,
    ],
    [
      'negative maxQueue',
      { maxQueue: -1 },
      /maxQueue must be an integer >= 0 \(or Infinity\), got -1/,
    ],
    ['fractional maxQueue', { maxQueue: 1.5 }, /maxQueue must be an integer/],
    ['zero maxFrameBytes', { maxFrameBytes: 0 }, /maxFrameBytes must be an integer >= 1/],
    [
      'zero pushHighWaterMark',
      { pushHighWaterMark: 0 },
      /pushHighWaterMark must be an integer >= 1/,
    ],
    [
      'negative closeTimeoutMs',
      { closeTimeoutMs: -5 },
      /closeTimeoutMs must be a number of ms >= 0/,
    ],
    ['negative keepAliveMs', { keepAliveMs: -1 }, /keepAliveMs must be a number of ms >= 0/],
    ['reconnect not a policy', { reconnect: 100 as never }, /reconnect must be a backoff policy/],
    ['tls a string', { tls: 'yes' as never }, /tls must be true, false or tls\.connect options/],
    [
      'handshake not a function',
      { handshake: {} as never },
      /handshake must be a function, got object/,
    ],
  ])('throws at construction for %s, naming the option', (_name, options, message) => {
    expect(() => createConnection({ ...base, ...options })).toThrow(message);
  });

  it('throws for options that are not an object', () => {
    expect(() => createConnection(null as never)).toThrow(/options must be an object/);
  });

  it('accepts every option at its limits', () => {
    const c = createConnection({
      ...base,
      host: '::1',
      tls: false,
      maxQueue: Infinity,
      requestTimeoutMs: Infinity,
      connectTimeoutMs: Infinity,
      closeTimeoutMs: 0,
      keepAliveMs: 0,
      reconnect: constant(1),
    });
    expect(c.where).toBe('[::1]:6399');
  });
});

describe('createRedisClient options', () => {
  it.each<[string, RedisClientOptions, RegExp]>([
    ['port 0', { port: 0 }, /createRedisClient: port must be an integer in 1\.\.65535/],
    ['negative db', { db: -1 }, /db must be an integer >= 0, got -1/],
    ['resp 4', { resp: 4 as never }, /resp must be 2 or 3, got 4/],
    ['username without password', { username: 'alice' }, /username needs a password/],
    ['empty username', { username: '', password: 'x' }, /username must be a non-empty string/],
    ['password not a string', { password: 1 as never }, /password must be a string/],
    ['name with a space', { name: 'my app' }, /name must be printable ASCII without spaces/],
    [
      'NaN requestTimeoutMs',
      { requestTimeoutMs: NaN },
      /requestTimeoutMs must be a number of ms > 0/,
    ],
  ])('throws at construction for %s, naming the option', (_name, options, message) => {
    expect(() => createRedisClient({ autoConnect: false, ...options })).toThrow(message);
  });

  it('throws for options that are not an object', () => {
    expect(() => createRedisClient(null as never)).toThrow(/options must be an object/);
  });

  it('defaults to 127.0.0.1:6379 and RESP2', async () => {
    const c = createRedisClient({ autoConnect: false });
    expect(c.where).toBe('127.0.0.1:6379');
    expect(c.resp).toBe(2);
    expect(c.state).toBe('idle');
    expect(c.stats.queued).toBe(0);
    expect(c.server).toBeUndefined();
    await c.close();
    expect(c.state).toBe('closed');
  });
});
