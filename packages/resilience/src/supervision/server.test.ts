import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { createServer } from './server.js';
import { continueWith, type ServerExit } from './server-types.js';
import { createSupervisor } from './supervisor.js';

type Call = { op: 'get' } | { op: 'add'; n: number } | { op: 'slow'; ms: number } | { op: 'boom' };
type Cast = { op: 'inc' };
type Info = 'tick' | 'stop' | 'crash';

function counter(clock: FakeClock, log: string[] = [], terminated: ServerExit[] = []) {
  return createServer<number, Call, number, Cast, Info>(
    {
      init: () => 0,
      async handleCall(msg, state, ctx) {
        switch (msg.op) {
          case 'get':
            return { reply: state };
          case 'add':
            return { reply: state + msg.n, state: state + msg.n };
          case 'slow':
            await ctx.clock.sleep(msg.ms);
            return { reply: state };
          case 'boom':
            throw new Error('boom');
        }
      },
      handleCast: (_msg, state) => state + 1,
      handleInfo(msg, state, ctx) {
        log.push(`info:${msg}@${ctx.clock.monotonic()}`);
        if (msg === 'stop') ctx.stop();
        if (msg === 'crash') ctx.stop(new Error('asked to crash'));
        return state;
      },
      terminate: (exit) => void terminated.push(exit),
    },
    { id: 'counter', clock, callTimeoutMs: 1000 },
  );
}

describe('Server', () => {
  it('handles calls and casts one at a time, in order', async () => {
    const clock = new FakeClock();
    const s = counter(clock);
    await s.start();
    expect(s.cast({ op: 'inc' })).toBe(true);
    const replies = await Promise.all([s.call({ op: 'add', n: 10 }), s.call({ op: 'get' })]);
    expect(replies).toEqual([11, 11]);
    await s.stop();
  });

  it('a call that times out rejects with CALL_TIMEOUT; its late reply is dropped and order kept', async () => {
    const clock = new FakeClock();
    const s = counter(clock);
    await s.start();
    const slow = s.call({ op: 'slow', ms: 5000 });
    const next = s.call({ op: 'add', n: 1 }, { timeoutMs: 10_000 });
    const failed = slow.catch((e: unknown) => e);
    await clock.advance(1000);
    const error = await failed;
    expect(hasErrorCode(error, 'CALL_TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(
      /call to server "counter" got no reply within 1000 ms/,
    );
    await clock.advance(4000);
    await expect(next).resolves.toBe(1);
    await s.stop();
  });

  it('refuses messages while not running, and past maxMailbox', async () => {
    const clock = new FakeClock();
    const s = counter(clock);
    const notRunning = await s.call({ op: 'get' }).catch((e: unknown) => e);
    expect(hasErrorCode(notRunning, 'NOT_RUNNING')).toBe(true);
    expect(s.cast({ op: 'inc' })).toBe(false);
    expect(s.send('tick')).toBe(false);

    const small = createServer<number, Call, number>(
      {
        init: () => 0,
        handleCall: async (_m, state, ctx) => {
          await ctx.clock.sleep(10);
          return { reply: state };
        },
      },
      { clock, maxMailbox: 2 },
    );
    await small.start();
    const calls = [small.call({ op: 'get' }), small.call({ op: 'get' })];
    await clock.flush(); // the first is taken from the mailbox and is being handled
    calls.push(small.call({ op: 'get' }), small.call({ op: 'get' }));
    const all = Promise.allSettled(calls);
    await clock.runAll();
    const settled = await all;
    expect(settled.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect(hasErrorCode((settled[3] as PromiseRejectedResult).reason, 'MAILBOX_FULL')).toBe(true);
    await small.stop();
  });

  it('continueWith reports ready at once and finishes init before any message', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const s = createServer<string, 'state', string>(
      {
        init: () => continueWith('connecting'),
        async handleContinue(_state, ctx) {
          log.push('continue');
          await ctx.clock.sleep(500);
          return 'connected';
        },
        handleCall: (_m, state) => ({ reply: state }),
      },
      { clock },
    );
    await s.start();
    expect(log).toEqual(['continue']);
    const reply = s.call('state');
    await clock.advance(500);
    await expect(reply).resolves.toBe('connected');
    await s.stop();
  });

  it('sendAfter delivers info on the clock and is cancelled when the server stops', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const s = createServer<null, never, never, never, string>(
      {
        init(ctx) {
          ctx.sendAfter(100, 'first');
          ctx.sendAfter(300, 'never');
          return null;
        },
        handleInfo: (msg, _state, ctx) => void log.push(`${msg}@${ctx.clock.monotonic()}`),
      },
      { clock },
    );
    await s.start();
    await clock.advance(200);
    await s.stop();
    await clock.advance(1000);
    expect(log).toEqual(['first@100']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops itself normally or with an error; terminate is told why', async () => {
    const clock = new FakeClock();
    const terminated: ServerExit[] = [];
    const s = counter(clock, [], terminated);
    await s.start();
    s.send('stop');
    await expect(s.done).resolves.toEqual({ reason: 'normal' });
    await s.start();
    s.send('crash');
    const exit = await s.done!;
    expect(exit).toEqual({ reason: 'crashed', error: new Error('asked to crash') });
    await s.start();
    await s.stop();
    expect(terminated.map((t) => t.reason)).toEqual(['normal', 'crashed', 'shutdown']);
  });

  it('a handler that throws crashes the server: the caller and waiting callers are told', async () => {
    const clock = new FakeClock();
    const s = counter(clock);
    await s.start();
    const boom = s.call({ op: 'boom' });
    const waiting = s.call({ op: 'get' });
    await expect(boom).rejects.toThrow('boom');
    const error = await waiting.catch((e: unknown) => e);
    expect(hasErrorCode(error, 'NOT_RUNNING')).toBe(true);
    expect(((error as Error).cause as Error).message).toBe('boom');
    const exit = await s.done!;
    expect(exit.reason).toBe('crashed');
  });

  it('under a supervisor, a crash restarts it from a fresh init', async () => {
    const clock = new FakeClock();
    const s = counter(clock);
    const sup = createSupervisor({ clock, children: [{ id: 'counter', task: s }] });
    await sup.start();
    await s.call({ op: 'add', n: 5 });
    await s.call({ op: 'boom' }).catch(() => undefined);
    await clock.flush();
    expect(s.isRunning).toBe(true);
    await expect(s.call({ op: 'get' })).resolves.toBe(0);
    await sup.stop();
  });

  it('a crash in init fails start()', async () => {
    const s = createServer(
      { init: () => Promise.reject(new Error('no config')) },
      { clock: new FakeClock() },
    );
    await expect(s.start()).rejects.toThrow('no config');
  });

  it('validates its behaviour and options', () => {
    expect(() => createServer({} as never)).toThrow(/behavior.init must be a function/);
    expect(() => createServer({ init: () => 0, handleCall: 5 } as never)).toThrow(
      /behavior.handleCall must be a function/,
    );
    expect(() => createServer({ init: () => 0 }, { maxMailbox: 0 })).toThrow(
      /maxMailbox must be a number > 0/,
    );
    expect(() => createServer({ init: () => 0 }, { callTimeoutMs: Number.NaN })).toThrow(
      /callTimeoutMs/,
    );
  });

  it('a message with no handler crashes the server with a clear error', async () => {
    const s = createServer<number, string, string>(
      { init: () => 0 },
      { id: 'bare', clock: new FakeClock() },
    );
    await s.start();
    await expect(s.call('hi')).rejects.toThrow('Server "bare" got a call but has no handleCall');
    expect((await s.done!).reason).toBe('crashed');
  });
});
