import { constant } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { SECOND, changed, checked } from '../../../test/store-events.js';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import type { Batch } from './batch.js';

function writer(
  options: Partial<BatchWriterOptions> & { fail?: () => boolean; writeMs?: number } = {},
) {
  const clock = new FakeClock();
  const batches: Batch[] = [];
  const errors: unknown[] = [];
  const w = new BatchWriter({
    clock,
    gapMs: () => 180 * SECOND,
    retry: constant(5 * SECOND),
    onError: (e) => errors.push(e),
    write: async (batch) => {
      if (options.writeMs !== undefined) await clock.sleep(options.writeMs);
      if (options.fail?.() === true) throw new Error('database is down');
      batches.push(batch);
      return batch.journal
        .filter((j) => j.kind === 'change')
        .map((_, i) => ({ incidentId: i, outboxIds: [] }));
    },
    ...options,
  });
  return { w, clock, batches, errors, t0: clock.now() };
}

describe('BatchWriter', () => {
  it('flushes a full batch at once, the rest on the one-second timer', async () => {
    const { w, clock, batches, t0 } = writer({ batchSize: 3, bufferSize: 10 });
    for (let i = 0; i < 4; i++) w.onChecked(checked('a', t0 + i));
    await clock.flush();
    expect(batches.map((b) => b.results.length)).toEqual([3]);
    await clock.advance(999);
    expect(batches).toHaveLength(1);
    await clock.advance(1);
    expect(batches.map((b) => b.results.length)).toEqual([3, 1]);
  });

  it('catches up in transactions of up to ten batches once two batches or more are waiting', async () => {
    const { w, clock, batches, t0 } = writer({ batchSize: 3, bufferSize: 100 });
    for (let i = 0; i < 40; i++) w.onChecked(checked('a', t0 + i));
    await clock.flush();
    expect(batches.map((b) => b.results.length)).toEqual([30, 10]);
    w.onChecked(checked('a', t0 + 40));
    await clock.advance(1000);
    expect(batches.map((b) => b.results.length)).toEqual([30, 10, 1]);
  });

  it('writes a change at once with what was observed before it, in order', async () => {
    const { w, clock, batches, t0 } = writer();
    w.onChecked(checked('a', t0, { status: 'up' }));
    const done = w.recordChange(changed('a', 'up', 'down', t0 + SECOND), []);
    w.onChecked(checked('a', t0 + SECOND, { status: 'down' }));
    await done;
    const [batch] = batches;
    // The result before the change is sealed ahead of it; the one after stays open, applied after it.
    expect(batch?.journal.map((j) => j.kind)).toEqual(['observe', 'change']);
    expect(batch?.journal[0]).toMatchObject({ status: 'up', last: t0 });
    expect(batch?.observations.map((o) => o.status)).toEqual(['down']);
    await clock.advance(SECOND);
    expect(batches).toHaveLength(1);
  });

  it('paces changes by what writes cost: changes close together share one transaction', async () => {
    const { w, clock, batches, t0 } = writer({ writeMs: 10 });
    const first = w.recordChange(changed('a', 'pending', 'up', t0), []);
    await clock.advance(10); // written at once; the write took 10 ms
    await first;
    expect(batches).toHaveLength(1);
    // The next change waits until 10 × 10 ms after that write began, and the one after it joins it.
    const second = w.recordChange(changed('b', 'pending', 'up', t0), []);
    await clock.advance(40);
    const third = w.recordChange(changed('c', 'pending', 'up', t0), []);
    await clock.advance(49);
    expect(batches).toHaveLength(1);
    await clock.advance(1 + 10);
    await Promise.all([second, third]);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.journal.map((j) => j.kind)).toEqual(['change', 'change']);
    // Long after the last write, a change is written at once again.
    await clock.advance(1000);
    const fourth = w.recordChange(changed('d', 'pending', 'up', t0), []);
    await clock.advance(10);
    await fourth;
    expect(batches).toHaveLength(3);
  });

  it('splits an observation at a gap', async () => {
    const { w, batches, t0 } = writer();
    w.onChecked(checked('a', t0));
    w.onChecked(checked('a', t0 + 10 * SECOND));
    w.onChecked(checked('a', t0 + 500 * SECOND));
    await w.flush();
    const sealed = batches[0]?.journal[0];
    expect(sealed).toMatchObject({ kind: 'observe', first: t0, last: t0 + 10 * SECOND });
    expect(batches[0]?.observations).toMatchObject([{ first: t0 + 500 * SECOND }]);
  });

  it('keeps everything through a failed write and retries on the backoff; changes resolve once written', async () => {
    let down = true;
    const { w, clock, batches, errors, t0 } = writer({ fail: () => down });
    w.onChecked(checked('a', t0));
    let resolved = false;
    const done = w.recordChange(changed('a', 'up', 'down', t0), []).then(() => (resolved = true));
    await clock.flush();
    expect(errors).toHaveLength(1);
    expect(w.metrics()).toMatchObject({ failedFlushes: 1, bufferedResults: 1, pendingChanges: 1 });
    expect(w.metrics().lastError?.message).toBe('database is down');
    await clock.advance(5 * SECOND);
    expect(errors).toHaveLength(2);
    down = false;
    await clock.advance(5 * SECOND);
    await done;
    expect(resolved).toBe(true);
    expect(batches[0]?.results).toHaveLength(1);
    expect(batches[0]?.journal.map((j) => j.kind)).toEqual(['observe', 'change']);
    expect(w.metrics()).toMatchObject({
      failedFlushes: 2,
      flushes: 1,
      lastError: null,
      pendingChanges: 0,
    });
  });

  it('on close, gives up after the timeout: waiting changes reject, results count as shed', async () => {
    const { w, clock, t0 } = writer({ fail: () => true, closeTimeoutMs: 12 * SECOND });
    w.onChecked(checked('a', t0));
    const change = w.recordChange(changed('a', 'up', 'down', t0), []);
    const outcome = change.catch((e: unknown) => e);
    const closing = w.close();
    await clock.advance(20 * SECOND);
    await closing;
    expect(await outcome).toMatchObject({ code: 'STORE_CLOSED' });
    expect(w.metrics().shedResults).toBe(1);
    await expect(w.recordChange(changed('a', 'up', 'down', t0), [])).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
  });

  it('rejects bad sizes at construction, naming the option', () => {
    expect(() => writer({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => writer({ batchSize: 10, bufferSize: 5 })).toThrow(/bufferSize/);
  });

  it('sheds on put-back when newer results filled the buffer meanwhile', async () => {
    let down = true;
    const { w, clock, t0 } = writer({ fail: () => down, batchSize: 2, bufferSize: 2 });
    w.onChecked(checked('a', t0));
    w.onChecked(checked('a', t0 + 1));
    await clock.flush(); // the full batch fails; both go back
    w.onChecked(checked('a', t0 + 2));
    expect(w.metrics()).toMatchObject({ shedResults: 1, bufferedResults: 2 });
    down = false;
    await w.flush();
    expect(w.metrics()).toMatchObject({ writtenResults: 2 });
  });
});
