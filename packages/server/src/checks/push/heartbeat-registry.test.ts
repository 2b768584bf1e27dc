import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it, vi } from 'vitest';
import { createHeartbeatRegistry, derivePushToken, MAX_MESSAGE_CHARS } from './index.js';

const A = 'token-of-a-0123456789';
const B = 'token-of-b-0123456789';

function registry(secret?: string) {
  const clock = new FakeClock();
  const r = createHeartbeatRegistry({ clock, secret });
  return { clock, r };
}

describe('HeartbeatRegistry', () => {
  it('resolves the monitor by token, stamps the heartbeat and keeps it as the last', async () => {
    const { clock, r } = registry();
    r.sync([
      { monitorId: 'a', token: A },
      { monitorId: 'b', token: B },
    ]);
    await clock.advance(1500);
    const result = r.record(B, { msg: 'done', value: 3 });
    expect(result).toEqual({
      ok: true,
      monitorId: 'b',
      heartbeat: { at: clock.now(), outcome: 'ok', message: 'done', value: 3 },
    });
    expect(r.last('b')).toEqual({ at: clock.now(), outcome: 'ok', message: 'done', value: 3 });
    expect(r.last('a')).toBeUndefined();
  });

  it.each([
    ['an unknown token', 'x'.repeat(21)],
    ['a token differing in its last character', `${A.slice(0, -1)}8`],
    ['a prefix of a token', A.slice(0, 16)],
    ['an empty token', ''],
    ['a huge token', A.repeat(1000)],
    ['a token with characters no token has', `${A}/../b`],
  ])('refuses %s without touching any monitor', (_what, token) => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    expect(r.record(token)).toEqual({
      ok: false,
      code: 'UNKNOWN_TOKEN',
      message: 'no push monitor has this token',
    });
    expect(r.last('a')).toBeUndefined();
  });

  it.each([
    [{ status: 'up' }, { outcome: 'ok', message: '' }],
    [
      { status: 'DOWN', msg: 'failed' },
      { outcome: 'fail', message: 'failed' },
    ],
    [{ status: 'degraded' }, { outcome: 'degraded', message: '' }],
    [
      { status: 'pending', value: '' },
      { outcome: 'pending', message: '' },
    ],
    [
      { status: '', value: ' -1.5e3 ' },
      { outcome: 'ok', message: '', value: -1500 },
    ],
    [{ msg: '  two\nlines\u0007 ' }, { outcome: 'ok', message: 'two lines' }],
    [{ value: 0 }, { outcome: 'ok', message: '', value: 0 }],
  ])('accepts %j', (input, heartbeat) => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    const result = r.record(A, input);
    expect(result.ok && result.heartbeat).toEqual({
      at: expect.any(Number) as number,
      ...heartbeat,
    });
  });

  it.each([
    [{ status: 'green' }, 'status must be one of up, ok, down, fail, degraded, pending'],
    [{ value: 'fast' }, 'value must be a number, got "fast"'],
    [{ value: 'NaN' }, 'value must be a number, got "NaN"'],
    [{ value: Infinity }, 'value must be a number, got "Infinity"'],
    [{ value: '1'.repeat(400) }, `value must be a number, got "${'1'.repeat(20)}…"`],
  ])('refuses %j', (input, message) => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    expect(r.record(A, input)).toEqual({ ok: false, code: 'INVALID_INPUT', message });
    expect(r.last('a')).toBeUndefined();
  });

  it('cuts a long message', () => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    r.record(A, { msg: 'x'.repeat(10_000) });
    expect(r.last('a')?.message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(r.last('a')?.message.endsWith('…')).toBe(true);
  });

  it('tells listeners of each accepted heartbeat, and stops when they unsubscribe', () => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    const listener = vi.fn();
    const off = r.onHeartbeat(listener);
    r.record(A, { status: 'down' });
    r.record('nobody-has-this-token');
    r.record(A, { status: 'bogus' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({
      monitorId: 'a',
      heartbeat: expect.objectContaining({ outcome: 'fail' }) as unknown,
    });
    off();
    r.record(A);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a listener that throws does not lose the heartbeat', () => {
    const errors: unknown[] = [];
    const r = createHeartbeatRegistry({
      clock: new FakeClock(),
      onListenerError: (e) => errors.push(e),
    });
    r.sync([{ monitorId: 'a', token: A }]);
    r.onHeartbeat(() => {
      throw new Error('engine busy');
    });
    expect(r.record(A).ok).toBe(true);
    expect(r.last('a')).toBeDefined();
    expect(errors).toHaveLength(1);
  });

  it('sync keeps the heartbeats of kept monitors, forgets removed ones, applies new tokens', () => {
    const { r } = registry();
    r.sync([
      { monitorId: 'a', token: A },
      { monitorId: 'b', token: B },
    ]);
    r.record(A);
    r.record(B);
    const C = 'token-of-c-0123456789';
    r.sync([{ monitorId: 'a', token: C }]);
    expect(r.last('a')).toBeDefined();
    expect(r.last('b')).toBeUndefined();
    expect(r.record(A).ok).toBe(false);
    expect(r.record(B).ok).toBe(false);
    expect(r.record(C)).toMatchObject({ ok: true, monitorId: 'a' });
    expect(r.tokenOf('a')).toBe(C);
    expect(r.tokenOf('b')).toBeUndefined();
  });

  it('derives a stable, per-monitor token from the secret when none is configured', () => {
    const { r } = registry('server-secret');
    r.sync([{ monitorId: 'a' }, { monitorId: 'b' }]);
    const a = r.tokenOf('a') ?? '';
    expect(a).toBe(derivePushToken('server-secret', 'a'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(r.tokenOf('b'));
    expect(a).not.toBe(derivePushToken('another-secret', 'a'));
    expect(r.record(a)).toMatchObject({ ok: true, monitorId: 'a' });
  });

  it('sync refuses, changing nothing, a shared token, a bad token or a missing one without a secret', () => {
    const { r } = registry();
    r.sync([{ monitorId: 'a', token: A }]);
    expect(() =>
      r.sync([
        { monitorId: 'x', token: B },
        { monitorId: 'y', token: B },
      ]),
    ).toThrow('push monitors "x" and "y" have the same token; give each its own');
    expect(() => r.sync([{ monitorId: 'x' }])).toThrow(
      'push monitor "x" has no token and the server has no secret to derive one; set push.token',
    );
    expect(() => r.sync([{ monitorId: 'x', token: 'short' }])).toThrow(
      'push monitor "x": token is not a valid push token',
    );
    expect(r.record(A)).toMatchObject({ ok: true, monitorId: 'a' });
  });
});
