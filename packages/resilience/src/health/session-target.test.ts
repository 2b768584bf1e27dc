import { describe, expect, it } from 'vitest';
import { constant } from '../backoff/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { hasErrorCode } from '../errors/index.js';
import { createHealthChecker } from './health-checker.js';
import type { HealthSession, HealthSnapshot } from './health-types.js';

/** A fake client session: the test ends it, as a server going away would. */
function session() {
  let end!: (error?: unknown) => void;
  const closed = new Promise<void>((resolve, reject) => {
    end = (error) => (error === undefined ? resolve() : reject(error));
  });
  const s = {
    closed,
    closes: 0,
    close: () => {
      s.closes++;
    },
    end,
  };
  return s;
}

function watch(clock: FakeClock, open: () => PromiseLike<HealthSession> | HealthSession) {
  const log: string[] = [];
  const snapshots: HealthSnapshot[] = [];
  const note = (what: string) => (s: HealthSnapshot) => {
    log.push(`${what}@${clock.monotonic()}`);
    snapshots.push(s);
  };
  const checker = createHealthChecker({
    name: 'postgres',
    session: open,
    clock,
    connectTimeoutMs: 500,
    retry: constant(1000),
    maxRetries: 2,
    afterFailure: 'keep-trying',
    onConnect: note('connect'),
    onDisconnect: note('disconnect'),
    onFailure: note('failure'),
  });
  return { checker, log, snapshots };
}

describe('HealthChecker on a session the application opens', () => {
  it('is up once open resolves, and notices at once when the session ends', async () => {
    const clock = new FakeClock();
    const sessions: ReturnType<typeof session>[] = [];
    const { checker, log, snapshots } = watch(clock, () => {
      const s = session();
      sessions.push(s);
      return Promise.resolve(s);
    });
    expect(checker.target).toBe('session postgres');
    await checker.start();
    await clock.flush();
    sessions[0]!.end(new Error('terminating connection due to administrator command'));
    await clock.flush();
    expect(log).toEqual(['connect@0', 'disconnect@0']);
    const lost = snapshots[1]!.lastError as Error;
    expect(hasErrorCode(lost, 'PEER_CLOSED')).toBe(true);
    expect(lost.message).toBe(
      'connection to session postgres broke: terminating connection due to administrator command',
    );
    await clock.advance(1000);
    expect(log).toEqual(['connect@0', 'disconnect@0', 'connect@1000']);
    sessions[1]!.end(); // a clean end
    await clock.flush();
    expect((snapshots[3]!.lastError as Error).message).toBe(
      'session postgres closed the connection',
    );
    await clock.advance(1000);
    expect(checker.status).toBe('up');
    await checker.stop(); // closes the session it holds
    expect(sessions.map((s) => s.closes)).toEqual([0, 0, 1]);
  });

  it('an open that rejects, throws or hangs is a failed attempt; a late session is closed', async () => {
    const clock = new FakeClock();
    const late = session();
    let finishLate: ((s: HealthSession) => void) | undefined;
    const signals: AbortSignal[] = [];
    let calls = 0;
    const { checker, log, snapshots } = watch(clock, () => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('password authentication failed'));
      if (calls === 2) throw new Error('bad config');
      return {
        then: (resolve: (s: HealthSession) => void) => {
          finishLate = resolve;
        },
      } as PromiseLike<HealthSession>;
    });
    checker.on('attempt-failed', (s) => void signals.push(s as never));
    await checker.start();
    await clock.advance(1000);
    await clock.advance(1500); // the third open hangs past connectTimeoutMs: failure
    expect(log).toEqual(['disconnect@0', 'failure@2500']);
    expect((snapshots[0]!.lastError as Error).message).toBe('password authentication failed');
    expect(hasErrorCode(snapshots[1]!.lastError, 'TIMEOUT')).toBe(true);
    expect((snapshots[1]!.lastError as Error).message).toBe(
      'opening session postgres timed out after 500 ms',
    );
    finishLate?.(late);
    await clock.flush();
    expect(late.closes).toBe(1);
    await checker.stop();
  });

  it('passes a signal that aborts when the open times out; a close that throws is ignored', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const checker = createHealthChecker({
      session: ({ signal }) => {
        seen = signal;
        return new Promise<HealthSession>(() => undefined);
      },
      connectTimeoutMs: 100,
      maxRetries: 0,
      clock,
    });
    await checker.start();
    await clock.advance(100);
    expect(seen?.aborted).toBe(true);
    const throwing = createHealthChecker({
      session: () => ({
        closed: new Promise(() => undefined),
        close: () => {
          throw new Error('already closed');
        },
      }),
      clock,
    });
    await throwing.start();
    await clock.flush();
    expect(throwing.status).toBe('up');
    await expect(throwing.stop()).resolves.toMatchObject({ reason: 'shutdown' });
  });
});
