import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { apiHarness, type ApiHarness } from '../../../test/api-harness.js';
import type { MonitorSummary } from '../views.js';

let h: ApiHarness;
afterEach(async () => {
  await h.close();
});

interface Message {
  type: string;
  seq: number;
  monitors?: MonitorSummary[];
}

/** A live-feed client that records what it receives. */
async function client(url: string, token: string): Promise<{ ws: WebSocket; messages: Message[] }> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const messages: Message[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Message));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, messages };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function liveUrl(): Promise<string> {
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `${address.replace('http', 'ws')}/api/v1/live`;
}

const summary = (id: string, reason: string): MonitorSummary => ({
  id,
  name: id,
  group: 'g',
  tags: [],
  kind: 'tcp',
  status: 'down',
  reason,
  since: '2026-01-01T00:00:00.000Z',
  lifecycle: 'running',
});

describe('live feed over a real WebSocket', () => {
  it('needs read access, sends a snapshot, then deltas, and resumes from a seq', async () => {
    h = await apiHarness();
    const url = await liveUrl();
    await expect(client(url, 'vigil_wrong')).rejects.toThrow('HTTP 401');
    const a = await client(url, h.tokens.read);
    await until(() => a.messages.length === 1);
    expect(a.messages[0]?.type).toBe('snapshot');
    h.hub.monitorChanged(summary('db', 'refused'));
    await h.clock.advance(25);
    await until(() => a.messages.length === 2);
    expect(a.messages[1]).toMatchObject({
      type: 'delta',
      seq: 1,
      monitors: [{ id: 'db', reason: 'refused' }],
    });
    a.ws.close();
    h.hub.monitorChanged(summary('db', 'timeout'));
    await h.clock.advance(25);
    const b = await client(`${url}?since=1`, h.tokens.read);
    await until(() => b.messages.length === 1);
    expect(b.messages[0]).toMatchObject({
      type: 'delta',
      seq: 2,
      monitors: [{ reason: 'timeout' }],
    });
    b.ws.close();
  });

  it('a client that never reads is skipped past the buffer limit, then gets one snapshot instead of the backlog', async () => {
    h = await apiHarness();
    const url = await liveUrl();
    const slow = await client(url, h.tokens.read);
    await until(() => slow.messages.length === 1);
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400; i++) {
      h.hub.monitorChanged(summary(`m${i}`, big));
      await h.clock.advance(25);
    }
    // 400 deltas of 64 KiB (25 MiB) were sent; the server kept at most ~1 MiB queued for this client.
    socket.resume();
    await new Promise((r) => setTimeout(r, 300)); // let what was queued drain
    await h.clock.advance(15_000); // the idle tick finds the stale client caught up: a snapshot
    await until(() => slow.messages.some((m, i) => i > 0 && m.type === 'snapshot'), 10_000);
    const deltas = slow.messages.filter((m) => m.type === 'delta').length;
    expect(deltas).toBeLessThan(200);
    expect(h.hub.clients).toBe(1);
    slow.ws.close();
  });
});
