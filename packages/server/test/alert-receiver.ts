// A local alert receiver (real HTTP on 127.0.0.1) and a test notifier that POSTs each message to it as
// JSON: for the alerting tests and the alerting bench. The receiver honours dedup keys the way PagerDuty
// does: an event seen before (same dedup key, kind and time) is acknowledged and dropped.
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import type { AlertMessage } from '../src/alerting/index.js';
import { defineNotifier } from '../src/alerting/index.js';

/** How the receiver answers: a status (with headers), or `hang` (never answers). */
export type ReceiverMode = { status: number; headers?: Record<string, string> } | 'hang';

export interface ReceivedMessage {
  readonly message: AlertMessage;
  /** process.hrtime-based ms when it arrived. */
  readonly atMs: number;
  readonly status: number | 'hang';
}

export interface AlertReceiver {
  readonly url: string;
  /** Every request, whatever the answer. */
  readonly requests: ReceivedMessage[];
  /** Events accepted (2xx), each once: duplicates by dedup key, kind and time are dropped. */
  readonly accepted: AlertMessage['events'][number][];
  /** Accepted events that were duplicates (dropped). */
  duplicates: number;
  mode: ReceiverMode;
  /** Called on every request as it arrives. */
  onRequest?: ((m: ReceivedMessage) => void) | undefined;
  close(): Promise<void>;
}

const identity = (e: AlertMessage['events'][number]): string => `${e.dedupKey}|${e.kind}|${e.at}`;

/** Starts a receiver on a free loopback port. */
export async function startReceiver(mode: ReceiverMode = { status: 200 }): Promise<AlertReceiver> {
  const seen = new Set<string>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertMessage;
      const m = receiver.mode;
      const record = {
        message,
        atMs: Number(process.hrtime.bigint()) / 1e6,
        status: m === 'hang' ? ('hang' as const) : m.status,
      };
      receiver.requests.push(record);
      receiver.onRequest?.(record);
      if (m === 'hang') {
        hanging.add(res);
        return;
      }
      if (m.status >= 200 && m.status < 300) {
        for (const e of message.events) {
          if (seen.has(identity(e))) receiver.duplicates++;
          else {
            seen.add(identity(e));
            receiver.accepted.push(e);
          }
        }
      }
      res.writeHead(m.status, m.headers ?? {}).end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const receiver: AlertReceiver = {
    url: `http://127.0.0.1:${port}/alerts`,
    requests: [],
    accepted: [],
    duplicates: 0,
    mode,
    async close() {
      for (const res of hanging) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

/** Parses `Retry-After` (seconds or an HTTP date) to ms. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A notifier of type `test-webhook`: POSTs the whole message as JSON to `url`. */
export const testNotifier = defineNotifier({
  type: 'test-webhook',
  description: 'POSTs the alert message as JSON (tests and benchmarks)',
  schema: z.object({ url: z.url() }).strict(),
  render: (message: AlertMessage) => [message],
  async send(payload, config, ctx) {
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: ctx.signal,
      });
      await res.arrayBuffer();
      if (res.ok) return { ok: true, detail: `HTTP ${res.status}` };
      const after = retryAfterMs(res.headers.get('retry-after'), ctx.clock.now());
      return {
        ok: false,
        retryable: res.status >= 500 || res.status === 429,
        error: `${new URL(config.url).host} answered HTTP ${res.status}`,
        status: res.status,
        ...(after === undefined ? {} : { retryAfterMs: after }),
      };
    } catch (error) {
      return { ok: false, retryable: true, error: (error as Error).message };
    }
  },
});

/** The notifier types tests load configs with. */
export const testNotifierTypes = { 'test-webhook': testNotifier };
