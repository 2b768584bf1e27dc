// Feature flags in a running server: a real flag file, edited while the app runs, flips real monitors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { tcpPeer } from '../test/net-helpers.js';
import { startApp, type RunningApp } from './app.js';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function get(app: RunningApp, path: string, token: string): Promise<unknown> {
  const response = await fetch(`${app.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('feature flags in a running server', () => {
  it('a change to the flag file stops and restarts the monitors it governs; config reloads follow flag keys', async () => {
    const peer = await tcpPeer();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-flags-app-'));
    const flagFile = join(dir, 'flags.yaml');
    const setFlags = (db: boolean, web: boolean) =>
      writeFileSync(flagFile, `flags:\n  monitor.db: ${db}\n  group.web: ${web}\n`);
    setFlags(true, true);
    const tcp = `tcp: { host: 127.0.0.1, port: ${peer.port} }`;
    const yaml = (otherFlag = '') => `flags: { path: flags.yaml }
groups:
  - { id: web, flag: group.web }
monitors:
  - { id: db, interval: 1s, flag: monitor.db, ${tcp} }
  - { id: api, group: web, interval: 1s, ${tcp} }
  - { id: other, interval: 1s, ${otherFlag}${tcp} }
`;
    const configPath = join(dir, 'vigil.yaml');
    writeFileSync(configPath, yaml());
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const app = await startApp({ configPath, logger, port: 0 });
    const state = (id: string) => app.engine.get(id)?.state;
    try {
      const { secret } = await app.auth.createToken('t', 'read');
      await until(() => ['db', 'api', 'other'].every((id) => state(id)?.status === 'up'));

      setFlags(false, true); // an operator switches db off
      await until(() => state('db')?.lifecycle === 'disabled');
      expect(state('db')).toMatchObject({ status: 'paused', flagOff: 'monitor.db' });
      expect(await get(app, '/api/v1/monitors/db', secret)).toMatchObject({
        status: 'paused',
        lifecycle: 'disabled',
        flagOff: 'monitor.db',
      });
      expect(await get(app, '/api/v1/flags?on=false', secret)).toEqual([
        expect.objectContaining({ flag: 'monitor.db', on: false, monitors: ['db'] }),
      ]);

      setFlags(true, false); // db back on, the web group off
      await until(() => state('api')?.lifecycle === 'disabled' && state('db')?.status === 'up');
      expect(state('api')?.reason).toBe('flag "group.web" of group "web" is off');
      expect(state('other')?.status).toBe('up');

      writeFileSync(flagFile, 'flags:\n  monitor.db: [unclosed\n'); // a broken edit changes nothing
      await until(() =>
        lines.some((l) => l.includes('FLAG_FILE_INVALID') || l.includes('flags: flag file')),
      );
      expect(state('api')?.lifecycle).toBe('disabled');
      expect(state('db')?.lifecycle).toBe('running');

      writeFileSync(configPath, yaml('flag: group.web, ')); // a config reload: other now has a flag, off
      await until(() => state('other')?.lifecycle === 'disabled');
      expect(state('other')).toMatchObject({ flagOff: 'group.web' });

      setFlags(true, true);
      await until(() => ['db', 'api', 'other'].every((id) => state(id)?.status === 'up'));
      setFlags(false, true);
      await until(() => state('db')?.lifecycle === 'disabled');
    } finally {
      await app.stop();
    }

    // After a restart (state from SQLite) db stays disabled while its flag is off, then resumes.
    const second = await startApp({ configPath, logger, port: 0 });
    try {
      expect(second.engine.get('db')?.state).toMatchObject({
        status: 'paused',
        lifecycle: 'disabled',
        flagOff: 'monitor.db',
      });
      setFlags(true, true);
      await until(() => second.engine.get('db')?.state.status === 'up');
    } finally {
      await second.stop();
      await peer.close();
    }
  });
});
