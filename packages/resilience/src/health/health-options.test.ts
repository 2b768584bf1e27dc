import { describe, expect, it } from 'vitest';
import { constant } from '../backoff/index.js';
import { createHealthChecker } from './health-checker.js';
import type { HealthCheckerOptions } from './health-types.js';

const bad = (options: unknown) => () => createHealthChecker(options as HealthCheckerOptions);

describe('HealthChecker options', () => {
  const cases: [string, unknown, new () => Error, RegExp][] = [
    [
      'no options',
      undefined,
      TypeError,
      /options must be an object with port \(TCP\), session or probe/,
    ],
    ['no port', {}, TypeError, /HealthChecker: port is required — the TCP port to watch/],
    ['no port, named', { id: 'db' }, TypeError, /HealthChecker "db": port is required/],
    [
      'port out of range',
      { port: 70_000 },
      RangeError,
      /port must be an integer in 1\.\.65535, got 70000/,
    ],
    ['port not a number', { port: '5432' }, RangeError, /port must be an integer/],
    ['empty host', { port: 1, host: '' }, TypeError, /host must be a non-empty string/],
    ['empty id', { port: 1, id: '' }, TypeError, /id must be a non-empty string/],
    [
      'negative retries',
      { port: 1, maxRetries: -1 },
      RangeError,
      /maxRetries must be an integer >= 0 or Infinity, got -1/,
    ],
    ['fractional retries', { port: 1, maxRetries: 1.5 }, RangeError, /maxRetries/],
    [
      'bad afterFailure',
      { port: 1, afterFailure: 'explode' },
      RangeError,
      /afterFailure must be one of stop, keep-trying, got "explode"/,
    ],
    ['retry not a policy', { port: 1, retry: 1000 }, TypeError, /retry must be a backoff policy/],
    [
      'onConnect not a function',
      { port: 1, onConnect: 'log' },
      TypeError,
      /onConnect must be a function, got string/,
    ],
    [
      'onDisconnect not a function',
      { port: 1, onDisconnect: {} },
      TypeError,
      /onDisconnect must be a function, got object/,
    ],
    [
      'onFailure not a function',
      { port: 1, onFailure: 1 },
      TypeError,
      /onFailure must be a function, got number/,
    ],
    [
      'zero connect timeout',
      { port: 1, connectTimeoutMs: 0 },
      RangeError,
      /connectTimeoutMs must be a finite number of ms > 0, got 0/,
    ],
    [
      'negative keepalive',
      { port: 1, keepAliveMs: -5 },
      RangeError,
      /keepAliveMs must be a finite number of ms >= 0/,
    ],
    ['ping not an object', { port: 1, ping: 'PING' }, TypeError, /ping must be an object/],
    [
      'ping without request',
      { port: 1, ping: { isReply: () => true } },
      TypeError,
      /ping\.request must be a non-empty string or Uint8Array/,
    ],
    [
      'ping without isReply',
      { port: 1, ping: { request: 'PING\r\n' } },
      TypeError,
      /ping\.isReply must be a function/,
    ],
    [
      'ping interval',
      { port: 1, ping: { request: 'x', isReply: () => true, intervalMs: -1 } },
      RangeError,
      /ping\.intervalMs/,
    ],
    [
      'probe not a function',
      { probe: 'SELECT 1' },
      TypeError,
      /probe must be a function, got string/,
    ],
    [
      'probe and port',
      { probe: () => 1, port: 5432 },
      TypeError,
      /pass one of port \(TCP\), session or probe \(polling\), not port and probe/,
    ],
    [
      'probe interval',
      { probe: () => 1, intervalMs: Number.NaN },
      RangeError,
      /intervalMs must be a finite number of ms > 0, got NaN/,
    ],
    ['probe timeout', { probe: () => 1, timeoutMs: Infinity }, RangeError, /timeoutMs/],
    ['probe name', { probe: () => 1, name: 3 }, TypeError, /name must be a non-empty string/],
    [
      'session not a function',
      { session: {} },
      TypeError,
      /session must be a function opening a session, got object/,
    ],
    ['session and port', { session: () => 1, port: 1 }, TypeError, /not port and session/],
    ['session timeout', { session: () => 1, connectTimeoutMs: -1 }, RangeError, /connectTimeoutMs/],
  ];
  it.each(cases)('%s', (_name, options, type, message) => {
    expect(bad(options)).toThrow(type);
    expect(bad(options)).toThrow(message);
  });

  it('applies defaults: localhost, 10 retries, stop, every second', () => {
    const checker = createHealthChecker({ port: 5432 });
    expect(checker.id).toBe('health:tcp localhost:5432');
    expect(checker.target).toBe('tcp localhost:5432');
    expect(checker.status).toBe('stopped');
  });

  it('accepts every valid option', () => {
    const checker = createHealthChecker({
      id: 'redis',
      host: '127.0.0.1',
      port: 6379,
      connectTimeoutMs: 100,
      keepAliveMs: false,
      ping: {
        request: 'PING\r\n',
        isReply: (b) => b.includes('\r\n'),
        intervalMs: 50,
        timeoutMs: 50,
      },
      retry: constant(50),
      maxRetries: Infinity,
      afterFailure: 'keep-trying',
      onConnect: () => undefined,
    });
    expect(checker.id).toBe('redis');
  });
});
