import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { tcpPeer } from '../test/net-helpers.js';
import { startApp } from './app.js';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startApp', () => {
  it('runs the monitors and hot-reloads the config file, keeping the running config when the new one is invalid', async () => {
    const peer = await tcpPeer();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
    const path = join(dir, 'vigil.yaml');
    const monitor = (id: string) =>
      `  - { id: ${id}, interval: 1s, tcp: { host: 127.0.0.1, port: ${peer.port} } }\n`;
    writeFileSync(path, `monitors:\n${monitor('a')}`);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const app = await startApp({ configPath: path, logger });
    try {
      await until(() => app.engine.get('a')?.state.status === 'up');
      writeFileSync(path, `monitors:\n${monitor('a')}${monitor('b')}`);
      await until(() => app.engine.get('b')?.state.status === 'up');
      writeFileSync(path, 'monitors:\n  - { id: a, tcp: { host: 127.0.0.1, port: nope } }\n');
      await until(() => lines.some((l) => l.includes('config reload rejected')));
      expect(app.engine.list().map((m) => m.config.id)).toEqual(['a', 'b']);
      expect(lines.join('')).toContain('monitors[0].tcp.port: expected a number, got \\"nope\\"');
    } finally {
      await app.stop();
      await peer.close();
    }
  });
});
