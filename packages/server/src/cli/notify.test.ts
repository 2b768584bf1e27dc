import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, testNotifierTypes, type AlertReceiver } from '../../test/alert-receiver.js';
import { main } from './main.js';
import { notifyCommand } from './notify.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
const receivers: AlertReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function capture() {
  const io = { out: '', err: '' };
  return { io, output: { out: (s: string) => (io.out += s), err: (s: string) => (io.err += s) } };
}

async function configFor(r: AlertReceiver): Promise<string> {
  const path = join(dir, `vigil-${receivers.length}.yaml`);
  writeFileSync(path, `notifiers:\n  - { id: hook, type: test-webhook, url: "${r.url}" }\n`);
  return Promise.resolve(path);
}

describe('vigil notify test', () => {
  it('sends a test message and exits 0 when it is delivered', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const { io, output } = capture();
    expect(await notifyCommand(await configFor(r), 'hook', output, testNotifierTypes)).toBe(0);
    expect(io.out).toMatch(/^hook: delivered \(1 payload, \d+ ms, HTTP 200\)\n$/);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]?.message).toMatchObject({
      rule: 'test',
      title: 'Test message from Vigil to hook',
      events: [{ kind: 'test', severity: 'info', monitor: { id: 'vigil-test' } }],
    });
  });

  it('exits 1 with the status and whether Vigil would retry', async () => {
    const r = await startReceiver({ status: 401 });
    receivers.push(r);
    const { io, output } = capture();
    expect(await notifyCommand(await configFor(r), 'hook', output, testNotifierTypes)).toBe(1);
    expect(io.err).toMatch(
      /^hook: not delivered after \d+ ms \(HTTP 401\): 127\.0\.0\.1:\d+ answered HTTP 401; Vigil would not retry it/,
    );
  });

  it('names the notifiers the config has when the id is unknown', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const { io, output } = capture();
    expect(await notifyCommand(await configFor(r), 'pager', output, testNotifierTypes)).toBe(1);
    expect(io.err).toMatch(/no notifier "pager" in .*; it has: hook/);
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, 'monitors: []\n');
    const cli = capture();
    const code = await main(['node', 'vigil', 'notify', 'test', 'pager', empty], cli.output, {
      once: () => {},
    });
    expect(code).toBe(1);
    expect(cli.io.err).toMatch(/it declares none \(add one under notifiers:\)/);
  });
});
