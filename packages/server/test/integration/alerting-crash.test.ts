// kill -9 between the state change and the delivery: after a restart the alert is delivered, exactly once
// as seen by a receiver that honours the dedup key. The real `vigil start` runs in a child process over
// real SQLite; a monitor of a closed port goes down at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@vigil/resilience';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, resolveRetention } from '../../src/store/index.js';
import { startReceiver } from '../alert-receiver.js';
import { closedPort } from '../net-helpers.js';

const script = fileURLToPath(new URL('./fixtures/alerting-server.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(config: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', script, config],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve(child);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server exited early (${code})`)));
  });
}

const exited = (child: ChildProcess): Promise<unknown> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(null);
    else child.once('exit', resolve);
  });

async function until(done: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('alerting: kill -9', () => {
  it('an alert whose delivery was cut by SIGKILL is delivered after a restart, once per dedup key', async () => {
    const receiver = await startReceiver();
    const port = await closedPort();
    const db = join(dir, 'vigil.db');
    const config = join(dir, 'vigil.yaml');
    writeFileSync(
      config,
      `storage: { type: sqlite, path: ${db} }
monitors:
  - { id: api, interval: 1s, failureThreshold: 1, tcp: { host: 127.0.0.1, port: ${port} } }
notifiers:
  - { id: hook, type: test-webhook, url: "${receiver.url}" }
alerts:
  - { name: ops, notifiers: [hook] }
`,
    );
    try {
      const first = await start(config);
      // The trigger reaches the receiver, which takes it; the server dies before it hears the answer.
      receiver.onRequest = () => first.kill('SIGKILL');
      await exited(first);
      expect(receiver.requests).toHaveLength(1);
      receiver.onRequest = undefined;

      const second = await start(config);
      await until(() => receiver.requests.length >= 2);
      // Give it time to send anything more it would (it must not).
      await new Promise((r) => setTimeout(r, 1500));
      second.kill('SIGTERM');
      await exited(second);

      expect(receiver.requests.map((r) => r.message.events.map((e) => e.kind))).toEqual([
        ['trigger'],
        ['trigger'],
      ]);
      expect(receiver.accepted.map((e) => `${e.monitor.id}:${e.kind}`)).toEqual(['api:trigger']);
      expect(receiver.duplicates).toBe(1);
      const store = await openSqliteStore({
        path: db,
        clock: systemClock,
        retention: resolveRetention({}),
        pruneIntervalMs: null,
      });
      try {
        const rows = await store.outbox.list();
        expect(rows.map((r) => [r.eventKind, r.status, r.attempts])).toEqual([
          ['trigger', 'delivered', 1],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
