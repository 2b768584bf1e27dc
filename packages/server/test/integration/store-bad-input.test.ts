// Bad input at start and at write time: a clear error naming where, and retries instead of a crash loop.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exponential, type RetryEvent } from '@vigil/resilience';
import { FakeClock } from '@vigil/resilience/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { closedPort } from '../net-helpers.js';
import { createTestDatabase, type TestDatabase } from '../pg.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-'));
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('vigil_bad');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

/** Forwards a local port to the shared PostgreSQL: the server "comes up" when this starts listening. */
function forward(port: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(5432, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('PostgreSQL unreachable at start', () => {
  it('says where and why, retries on the backoff (not a crash loop), and opens once the server is up', async () => {
    const port = await closedPort();
    const url = new URL(await database.schemaUrl());
    url.port = String(port);
    const clock = new FakeClock();
    const retries: RetryEvent[] = [];
    const opening = createStore(
      { type: 'postgres', url: url.toString() },
      {
        clock,
        pruneIntervalMs: null,
        connectRetry: exponential({ initialMs: 1000, maxMs: 8000 }),
        onRetry: (e) => retries.push(e),
      },
    );
    for (const delay of [1000, 2000, 4000]) {
      await vi.waitFor(() => expect(retries.at(-1)?.delayMs).toBe(delay), { timeout: 5000 });
      if (delay === 4000) break;
      await clock.advance(delay);
    }
    const error = retries[0]?.error as Error & { code: string };
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/ECONNREFUSED.*is the server running/);
    expect(error.message).not.toContain('password');
    const proxy = await forward(port);
    try {
      await clock.advance(4000);
      const store = await opening;
      expect(retries).toHaveLength(3);
      expect(await store.latest()).toEqual([]);
      await store.close();
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('stops retrying when aborted, and rejects at once what waiting cannot fix', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const clock = new FakeClock();
    const opening = createStore(
      { type: 'postgres', url: `postgres://postgres:secret@127.0.0.1:${port}/test` },
      {
        clock,
        signal: controller.signal,
        onRetry: () => controller.abort(new Error('shutting down')),
      },
    );
    await expect(opening).rejects.toThrow('shutting down');
    await expect(
      createStore(
        { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/vigil_no_such_db' },
        { clock },
      ),
    ).rejects.toMatchObject({
      code: 'STORE_OPEN_FAILED',
      message: (expect.stringMatching as (p: RegExp) => unknown)(/does not exist.*storage\.url/),
    });
  });
});

describe('SQLite path problems', () => {
  it('names the path when a part of it is a file, not a directory', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const path = join(file, 'data', 'vigil.db');
    await expect(
      createStore({ type: 'sqlite', path }, { clock: new FakeClock() }),
    ).rejects.toMatchObject({
      code: 'STORE_OPEN_FAILED',
      location: path,
      message: (expect.stringContaining as (p: string) => unknown)(
        `SQLite database ${path}: a part of the path is a file`,
      ),
    });
  });

  it('resolves a relative path against the config directory and creates it', async () => {
    const store = await createStore(
      { type: 'sqlite', path: './data/vigil.db' },
      { clock: new FakeClock(), baseDir: dir, pruneIntervalMs: null },
    );
    expect(store.location).toBe(join(dir, 'data', 'vigil.db'));
    await store.close();
  });

  // Tests run as root, so a chmod'ed directory stays writable. A real read-only or full file system is
  // made instead: a tmpfs mounted in a private mount namespace (unshare -m), which vanishes with the child.
  const script = fileURLToPath(new URL('./fixtures/sqlite-disk.ts', import.meta.url));
  const canMount = spawnSync('unshare', ['-m', 'true']).status === 0;
  function inTmpfs(mode: 'readonly' | 'full'): {
    opened: boolean;
    error?: { code: string; message: string };
    errors: { code: string; message: string }[];
  } {
    const mnt = mkdtempSync(join(dir, `mnt-${mode}-`));
    const mount =
      mode === 'readonly'
        ? `mount -t tmpfs -o size=1m,ro tmpfs ${mnt}`
        : `mount -t tmpfs -o size=384k tmpfs ${mnt}`;
    const node = [
      process.execPath,
      '--import',
      'tsx',
      '--conditions=source',
      script,
      mode,
      mnt,
    ].join(' ');
    const out = execFileSync('unshare', ['-m', 'sh', '-c', `${mount} && exec ${node}`], {
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof inTmpfs>;
  }

  it.skipIf(!canMount)('a read-only file system: a clear error naming the path at start', () => {
    const r = inTmpfs('readonly');
    expect(r.opened).toBe(false);
    expect(r.error?.code).toBe('STORE_OPEN_FAILED');
    expect(r.error?.message).toMatch(
      /SQLite database .*mnt-readonly-.*\/data\/vigil\.db: the file system is read-only/,
    );
  });

  it.skipIf(!canMount)('a full disk: every failed flush reports it, naming the path', () => {
    const r = inTmpfs('full');
    expect(r.opened).toBe(true);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]?.code).toBe('STORE_OPEN_FAILED');
    expect(r.errors[0]?.message).toMatch(/SQLite database .*\/data\/vigil\.db: the disk is full/);
  });
});
