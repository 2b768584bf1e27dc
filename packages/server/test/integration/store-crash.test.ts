// kill -9 during heavy writes: nothing acknowledged is lost, nothing is corrupted, at most the last
// unflushed second of raw results is missing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../pg.js';

const script = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('vigil_crash');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

interface Run {
  changes: { incidentId: number; outboxId: number; key: string }[];
  produced: number;
  written: number;
}

/** Runs the writer until it has acknowledged `minChanges` changes and written for a while, then SIGKILLs it. */
function runAndKill(kind: string, location: string, minWritten: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', script, kind, location],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const run: Run = { changes: [], produced: 0, written: 0 };
    let buffer = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, a, b, c] = line.split(' ');
        if (tag === 'C')
          run.changes.push({ incidentId: Number(a), outboxId: Number(b), key: c ?? '' });
        if (tag === 'P') {
          run.produced = Number(a);
          run.written = Number(b);
          if (!killed && run.written >= minWritten && run.changes.length >= 10) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(run) : reject(new Error(`writer exited (${signal ?? _code})`)),
    );
  });
}

async function verify(store: Store, run: Run): Promise<void> {
  const outbox = new Map((await store.outbox.list({ limit: 1000 })).map((e) => [e.id, e.dedupKey]));
  for (const c of run.changes) expect(outbox.get(c.outboxId)).toBe(c.key);
  const incidents = await store.transfer.count('incidents');
  expect(incidents).toBeGreaterThanOrEqual(run.changes.length);
  const results = await store.transfer.count('results');
  expect(results).toBeGreaterThanOrEqual(run.written);
  // No holes: per monitor, the stored results are a gap-free prefix of what was produced.
  const latest = await store.latest({ includeRemoved: true });
  for (const l of latest) {
    const h = await store.history(l.monitor.id, { from: 0, to: 2 ** 52 }, { tier: 'raw' });
    if (h.tier !== 'raw' || h.results.length === 0) continue;
    const first = h.results[0]!.at;
    const last = h.results.at(-1)!.at;
    expect(h.results.length).toBe((last - first) / 10 + 1);
  }
  // The writer produced ~5,000 results/s and was killed right after its last report: what is missing is
  // at most about a second of them (one flush period, plus the batch in flight).
  expect(run.produced - results).toBeLessThanOrEqual(5_000 + 1_000);
}

describe('kill -9 during heavy writes', () => {
  it('SQLite: the file is intact and everything acknowledged is there', async () => {
    const path = join(dir, 'crash.db');
    const run = await runAndKill('sqlite', path, 2_500);
    const raw = new BetterSqlite3(path);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = await createStore(
      { type: 'sqlite', path },
      { clock: new FakeClock(), pruneIntervalMs: null },
    );
    try {
      await verify(store, run);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('PostgreSQL: everything acknowledged is there', async () => {
    const url = await database.schemaUrl();
    const run = await runAndKill('postgres', url, 2_500);
    const store = await createStore(
      { type: 'postgres', url },
      { clock: new FakeClock(), pruneIntervalMs: null },
    );
    try {
      await verify(store, run);
    } finally {
      await store.close();
    }
  }, 60_000);
});
