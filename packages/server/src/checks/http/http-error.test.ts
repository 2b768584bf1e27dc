import { systemClock } from '@vigil/resilience';
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../check-kind.js';
import { describeHttpError } from './http-error.js';
import { RunTrace, type HttpStage } from './trace.js';

function context(aborted: boolean): CheckContext {
  const controller = new AbortController();
  if (aborted) controller.abort(new Error('timeout'));
  return { signal: controller.signal, clock: systemClock, timeoutMs: 5000, monitorId: 'm' };
}

function trace(stage: HttpStage): RunTrace {
  const t = new RunTrace(systemClock);
  t.requesting('https://api.example.com/health', 'api.example.com:443');
  t.stage = stage;
  t.bodyBytes = 1536;
  return t;
}

const error = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('http error messages', () => {
  it.each([
    ['dns', 'timed out after 5s resolving api.example.com'],
    ['connect', 'timed out after 5s connecting to api.example.com:443'],
    ['tls', 'timed out after 5s in the TLS handshake with api.example.com:443'],
    ['response', 'timed out after 5s waiting for the response from https://api.example.com/health'],
    [
      'body',
      'timed out after 5s reading the body of https://api.example.com/health (read 1.5 KiB)',
    ],
  ] as const)('a timeout while in %s says what it was doing', (stage, message) => {
    expect(describeHttpError(new Error('aborted'), trace(stage), context(true))).toBe(message);
  });

  it.each([
    [
      'UND_ERR_HEADERS_OVERFLOW',
      'response headers from https://api.example.com/health are too large',
    ],
    [
      'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
      'https://api.example.com/health sent a body that does not match its Content-Length',
    ],
    ['ECONNRESET', 'connection reset by api.example.com:443'],
    ['EPIPE', 'EPIPE: boom (api.example.com:443)'],
  ])('%s is named', (code, message) => {
    expect(describeHttpError(error(code), trace('response'), context(false))).toBe(message);
  });

  it('keeps the connector’s own error for connection failures', () => {
    const t = trace('connect');
    t.connectError = error('ECONNREFUSED');
    expect(describeHttpError(new Error('wrapped'), t, context(false))).toBe(
      'connection refused by api.example.com:443',
    );
  });

  it('shows what a non-HTTP peer sent, or the parser reason', () => {
    const parser = Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), {
      name: 'HTTPParserError',
      data: `+PONG${'x'.repeat(100)}`,
    });
    expect(describeHttpError(parser, trace('response'), context(false))).toBe(
      `api.example.com:443 did not answer with HTTP (it sent "+PONG${'x'.repeat(55)}…")`,
    );
    const bare = Object.assign(new Error('Invalid status code'), { name: 'HTTPParserError' });
    expect(describeHttpError(bare, trace('response'), context(false))).toBe(
      'api.example.com:443 did not answer with HTTP (Invalid status code)',
    );
  });
});
