import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import type { MonitorSummary } from '../views.js';
import { LiveHub, type LiveSocket } from './hub.js';

const summary = (id: string, status: MonitorSummary['status'] = 'up'): MonitorSummary => ({
  id,
  name: id,
  group: 'default',
  tags: [],
  kind: 'tcp',
  status,
  reason: '',
  since: '2026-01-01T00:00:00.000Z',
  lifecycle: 'running',
});

class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  readonly sent: { type: string; seq: number; monitors?: MonitorSummary[]; results?: unknown[] }[] =
    [];
  closed: number | undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as FakeSocket['sent'][number]);
  }
  close(code?: number): void {
    this.closed = code;
  }
}

function hub(monitors: MonitorSummary[] = [summary('a'), summary('b')]) {
  const clock = new FakeClock();
  return {
    clock,
    hub: new LiveHub({
      firstSeq: 0,
      clock,
      snapshot: () => monitors,
      coalesceMs: 25,
      maxBufferedBytes: 1000,
      historyBytes: 10_000,
      tickMs: 15_000,
    }),
  };
}

describe('LiveHub', () => {
  it('sends a snapshot on subscribe, then coalesced deltas with the latest state per monitor', async () => {
    const { clock, hub: h } = hub();
    const s = new FakeSocket();
    h.attach(s);
    expect(s.sent).toEqual([{ type: 'snapshot', seq: 0, monitors: [summary('a'), summary('b')] }]);
    h.monitorChanged(summary('a', 'pending'));
    h.monitorChanged(summary('a', 'down'));
    h.resultArrived({ id: 'b', outcome: 'ok', latencyMs: 3, at: 'x', message: 'ok' });
    await clock.advance(24);
    expect(s.sent).toHaveLength(1);
    await clock.advance(1);
    expect(s.sent[1]).toEqual({
      type: 'delta',
      seq: 1,
      monitors: [summary('a', 'down')],
      results: [{ id: 'b', outcome: 'ok', latencyMs: 3, at: 'x', message: 'ok' }],
    });
  });

  it('serialises one snapshot for every client subscribing at the same seq, for at most a second', async () => {
    const clock = new FakeClock();
    let built = 0;
    const monitors = [summary('a')];
    const h = new LiveHub({
      firstSeq: 0,
      clock,
      snapshot: () => {
        built += 1;
        return monitors;
      },
    });
    const sockets = Array.from({ length: 3 }, () => new FakeSocket());
    for (const s of sockets) h.attach(s);
    expect(built).toBe(1);
    expect(sockets.map((s) => s.sent[0])).toEqual(
      sockets.map(() => ({ type: 'snapshot', seq: 0, monitors: [summary('a')] })),
    );
    // A change not yet flushed: a new client gets the cached snapshot, then the delta with the change.
    monitors[0] = summary('a', 'down');
    h.monitorChanged(summary('a', 'down'));
    const late = new FakeSocket();
    h.attach(late);
    expect(built).toBe(1);
    await clock.advance(25);
    expect(late.sent.map((m) => m.monitors?.[0]?.status)).toEqual(['up', 'down']);
    h.attach(new FakeSocket());
    expect(built).toBe(2);
    await clock.advance(1000);
    h.attach(new FakeSocket());
    expect(built).toBe(3);
    h.close();
  });

  it('skips a slow client and sends it a fresh snapshot once its buffer drains', async () => {
    const { clock, hub: h } = hub();
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    h.attach(slow);
    h.attach(fast);
    slow.bufferedAmount = 5000;
    h.monitorChanged(summary('a', 'down'));
    await clock.advance(25);
    expect(slow.sent.map((m) => m.type)).toEqual(['snapshot']);
    expect(fast.sent.map((m) => m.type)).toEqual(['snapshot', 'delta']);
    slow.bufferedAmount = 0;
    h.monitorChanged(summary('b', 'down'));
    await clock.advance(25);
    expect(slow.sent.map((m) => `${m.type}@${m.seq}`)).toEqual(['snapshot@0', 'snapshot@2']);
  });

  it("a board resuming across a restart, with the old feed's seq, gets a snapshot of the new one", async () => {
    const clock = new FakeClock();
    const options = { clock, snapshot: () => [summary('a')], coalesceMs: 25 };
    const old = new LiveHub(options);
    for (let i = 0; i < 50; i++) {
      old.monitorChanged(summary('a', i % 2 === 0 ? 'down' : 'up'));
      await clock.advance(25);
    }
    const lastSeen = old.seq;
    old.close();
    await clock.advance(1000); // the restart
    const restarted = new LiveHub(options);
    for (let i = 0; i < 60; i++) {
      restarted.monitorChanged(summary('a', 'down'));
      await clock.advance(25);
    }
    const board = new FakeSocket();
    restarted.attach(board, lastSeen);
    expect(board.sent.map((m) => m.type)).toEqual(['snapshot']);
    expect(board.sent[0]?.monitors).toEqual([summary('a')]);
    expect(board.sent[0]?.seq).toBe(restarted.seq);
  });

  it('a resuming client gets the deltas it missed, or a snapshot when they are gone', async () => {
    const { clock, hub: h } = hub();
    for (const status of ['down', 'up', 'down'] as const) {
      h.monitorChanged(summary('a', status));
      await clock.advance(25);
    }
    const resumed = new FakeSocket();
    h.attach(resumed, 1);
    expect(resumed.sent.map((m) => `${m.type}@${m.seq}`)).toEqual(['delta@2', 'delta@3']);
    const current = new FakeSocket();
    h.attach(current, 3);
    expect(current.sent).toEqual([]);
    const future = new FakeSocket();
    h.attach(future, 99);
    expect(future.sent.map((m) => m.type)).toEqual(['snapshot']);
  });

  it('keeps only historyBytes of deltas for resumption', async () => {
    const { clock, hub: h } = hub();
    for (let i = 0; i < 200; i++) {
      h.monitorChanged(summary(`monitor-${i}`, 'down'));
      await clock.advance(25);
    }
    const old = new FakeSocket();
    h.attach(old, 1);
    expect(old.sent.map((m) => m.type)).toEqual(['snapshot']);
  });

  it('ticks an idle feed and closes clients on close()', async () => {
    const { clock, hub: h } = hub();
    const s = new FakeSocket();
    h.attach(s);
    await clock.advance(15_000);
    expect(s.sent.at(-1)).toEqual({ type: 'tick', seq: 0 });
    h.close();
    expect(s.closed).toBe(1001);
    expect(h.clients).toBe(0);
  });
});
