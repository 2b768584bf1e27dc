import { describe, expect, it } from 'vitest';
import {
  AcquireTimeoutError,
  ConnectFailedError,
  ConnectionClosedError,
  ConnectionLostError,
  PoolClosedError,
  ProtocolError,
  QueueFullError,
  RedisReplyError,
  RequestTimeoutError,
  AlreadyStartedError,
  CallTimeoutError,
  FlagFileError,
  MailboxFullError,
  MaxChildrenError,
  MaxRetriesExceededError,
  NotRunningError,
  PeerClosedError,
  RestartIntensityError,
  RetryExhaustedError,
  ShutdownTimeoutError,
  StartFailedError,
  TimeoutError,
  hasErrorCode,
  isAbortError,
  isRetryable,
  isVigilError,
} from './index.js';

describe('typed errors', () => {
  const cases = [
    [new TimeoutError('connect to db:5432 timed out', 100), 'TIMEOUT', true],
    [new CallTimeoutError('conn', 5), 'CALL_TIMEOUT', true],
    [new NotRunningError('conn', 'restarting'), 'NOT_RUNNING', true],
    [new MailboxFullError('conn', 10), 'MAILBOX_FULL', true],
    [new RetryExhaustedError([new Error('x')], 12), 'RETRY_EXHAUSTED', false],
    [
      new RestartIntensityError('sup', 'child', 3, 5000, new Error('y')),
      'RESTART_INTENSITY_EXCEEDED',
      false,
    ],
    [new StartFailedError('sup', 'child', new Error('z')), 'START_FAILED', true],
    [new MaxChildrenError('sup', 4), 'MAX_CHILDREN', true],
    [new AlreadyStartedError('sup', 'a'), 'ALREADY_STARTED', false],
    [new ShutdownTimeoutError('t', 5000), 'SHUTDOWN_TIMEOUT', false],
    [new QueueFullError('db:5432', 10), 'QUEUE_FULL', true],
    [new ConnectionLostError('db:5432'), 'CONNECTION_LOST', false],
    [new RequestTimeoutError('db:5432', 100, true), 'REQUEST_TIMEOUT', false],
    [new RequestTimeoutError('db:5432', 100, false), 'REQUEST_TIMEOUT', true],
    [new ProtocolError('db:5432', 'bad byte'), 'PROTOCOL_ERROR', false],
    [new ConnectionClosedError('db:5432'), 'CONNECTION_CLOSED', false],
    [new ConnectFailedError('db:5432', 1), 'CONNECT_FAILED', true],
    [new AcquireTimeoutError('pool', 100, 2), 'ACQUIRE_TIMEOUT', true],
    [new PoolClosedError('pool'), 'POOL_CLOSED', false],
    [new RedisReplyError('ERR x'), 'REDIS_REPLY_ERROR', false],
    [new RedisReplyError('LOADING x'), 'REDIS_REPLY_ERROR', true],
    [new FlagFileError('/etc/vigil/flags.json', 'not valid JSON'), 'FLAG_FILE_INVALID', true],
    [new MaxRetriesExceededError('db', 'tcp db:5432', 10, 'refused'), 'MAX_RETRIES_EXCEEDED', true],
    [new PeerClosedError('tcp db:5432', { cause: 'reset' }), 'PEER_CLOSED', true],
  ] as const;

  it.each(cases)(
    '%s has a stable code, retryable flag, name and brand',
    (error, code, retryable) => {
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error.name).toBe(error.constructor.name);
      expect(isVigilError(error)).toBe(true);
      expect(hasErrorCode(error, code)).toBe(true);
      expect(hasErrorCode(error, 'SOMETHING_ELSE')).toBe(false);
      expect(isRetryable(error)).toBe(retryable);
      expect(error).toBeInstanceOf(Error);
    },
  );

  it('guards check the brand, so a structurally foreign copy is still recognised', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('@vigil/resilience.VigilError')]: true,
      code: 'QUEUE_FULL',
      retryable: true,
    });
    expect(isVigilError(foreign)).toBe(true);
    expect(hasErrorCode(foreign, 'QUEUE_FULL')).toBe(true);
    expect(isVigilError(new Error('plain'))).toBe(false);
    expect(isVigilError(null)).toBe(false);
    expect(isVigilError('QUEUE_FULL')).toBe(false);
  });

  it('keeps the cause', () => {
    const root = new Error('ECONNREFUSED');
    expect(new NotRunningError('x', 'y', { cause: root }).cause).toBe(root);
    expect(new StartFailedError('s', 'c', root).cause).toBe(root);
  });

  it('treats aborts as not retryable and plain errors as retryable', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isAbortError(controller.signal.reason)).toBe(true);
    expect(isRetryable(controller.signal.reason)).toBe(false);
    expect(
      isAbortError(AbortSignal.timeout(0).reason ?? new DOMException('t', 'TimeoutError')),
    ).toBe(true);
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isAbortError(new TimeoutError('x', 1))).toBe(false);
  });
});
