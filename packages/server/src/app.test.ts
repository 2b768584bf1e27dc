import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { closedPort, tcpPeer } from '../test/net-helpers.js';
import { startApp, type RunningApp } from './app.js';
import { main } from './cli/main.js';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function tempConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  const path = join(dir, 'vigil.yaml');
  writeFileSync(path, text);
  return path;
}

const quiet = () => {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (s: string) => void lines.push(s) }) };
};

async function get(app: RunningApp, path: string, token: string): Promise<unknown> {
  const response = await fetch(`${app.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('startApp', () => {
  it('runs the monitors and hot-reloads the config file, keeping the running config when the new one is invalid', async () => {
    const peer = await tcpPeer();
    const monitor = (id: string) =>
      `  - { id: ${id}, interval: 1s, tcp: { host: 127.0.0.1, port: ${peer.port} } }\n`;
    const path = tempConfig(`monitors:\n${monitor('a')}`);
    const { lines, logger } = quiet();
    const app = await startApp({ configPath: path, logger, port: 0 });
    try {
      await until(() => app.engine.get('a')?.state.status === 'up');
      writeFileSync(path, `monitors:\n${monitor('a')}${monitor('b')}`);
      await until(() => app.engine.get('b')?.state.status === 'up');
      writeFileSync(path, 'monitors:\n  - { id: a, tcp: { host: 127.0.0.1, port: nope } }\n');
      await until(() => lines.some((l) => l.includes('config reload rejected')));
      expect(app.engine.list().map((m) => m.config.id)).toEqual(['a', 'b']);
      expect(lines.join('')).toContain('monitors[0].tcp.port: expected a number, got \\"nope\\"');
      expect(lines.some((l) => l.includes('/setup?token='))).toBe(true);
    } finally {
      await app.stop();
      await peer.close();
    }
  });

  it('persists results and states in SQLite, serves history, and resumes every monitor after a restart', async () => {
    const port = await closedPort();
    const path = tempConfig(
      `monitors:\n  - { id: db, interval: 1s, failureThreshold: 2, retry: { initial: 100ms, jitter: none }, tcp: { host: 127.0.0.1, port: ${port} } }\n`,
    );
    const first = await startApp({ configPath: path, logger: quiet().logger, port: 0 });
    await until(() => first.engine.get('db')?.state.status === 'down');
    const before = first.engine.get('db')?.state;
    const { secret } = await first.auth.createToken('t', 'read');
    await first.store.flush();
    const incidents = (await get(first, '/api/v1/monitors/db/incidents?statuses=down', secret)) as {
      items: { to: string; reason: string }[];
    };
    expect(incidents.items[0]).toMatchObject({
      to: 'down',
      reason: `connection refused by 127.0.0.1:${port}`,
    });
    const history = (await get(first, '/api/v1/monitors/db/history?range=1h', secret)) as {
      tier: string;
      results: { outcome: string }[];
    };
    expect(history.tier).toBe('raw');
    expect(history.results.length).toBeGreaterThanOrEqual(2);
    expect(history.results.every((r) => r.outcome === 'fail')).toBe(true);
    const uptime = (await get(first, '/api/v1/monitors/db/uptime', secret)) as Record<
      string,
      { uptime: number | null }
    >;
    expect(uptime['24h']?.uptime).toBe(0);
    await first.stop();

    const second = await startApp({ configPath: path, logger: quiet().logger, port: 0 });
    try {
      const resumed = second.engine.get('db')?.state;
      expect(resumed).toMatchObject({ status: 'down', since: before?.since, confirmed: 'down' });
      expect(resumed?.consecutiveFailures).toBeGreaterThanOrEqual(before?.consecutiveFailures ?? 0);
    } finally {
      await second.stop();
    }
  });

  it('keeps the admin account and API tokens in the SQLite store across a restart', async () => {
    const path = tempConfig(
      `monitors:\n  - { id: a, interval: 1h, tcp: { host: 127.0.0.1, port: ${await closedPort()} } }\n`,
    );
    const first = await startApp({ configPath: path, logger: quiet().logger, port: 0 });
    let secret: string;
    try {
      expect(await first.auth.setupRequired()).toBe(true);
      await first.auth.createUser('admin', 'a long enough passphrase');
      ({ secret } = await first.auth.createToken('ci', 'read'));
    } finally {
      await first.stop();
    }
    const { lines, logger } = quiet();
    const second = await startApp({ configPath: path, logger, port: 0 });
    try {
      expect(lines.some((l) => l.includes('/setup?token='))).toBe(false);
      const login = (password: string) =>
        fetch(`${second.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
      expect((await login('not the passphrase')).status).toBe(401);
      const ok = await login('a long enough passphrase');
      expect(ok.status).toBe(200);
      expect(ok.headers.getSetCookie().some((c) => c.startsWith('vigil_session='))).toBe(true);
      expect(await get(second, '/api/v1/monitors', secret)).toBeDefined();
      const forged = await fetch(`${second.url}/api/v1/monitors`, {
        headers: { authorization: 'Bearer vigil_forged' },
      });
      expect(forged.status).toBe(401);
    } finally {
      await second.stop();
    }
  });

  it('records push heartbeats by token and checks the monitor at once', async () => {
    const token = 'push-token-abcdefghijklmnop';
    const path = tempConfig(
      `monitors:\n  - { id: nightly, interval: 1h, timeout: 5s, push: { period: 1h, token: ${token} } }\n`,
    );
    const app = await startApp({ configPath: path, logger: quiet().logger, port: 0 });
    try {
      await until(() => app.engine.get('nightly')?.state.lastResult !== undefined);
      expect(app.engine.get('nightly')?.state.status).toBe('pending');
      const response = await fetch(
        `${app.url}/api/v1/push/${token}?status=up&msg=backup%20done&ping=42`,
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true, monitor: 'nightly' });
      await until(() => app.engine.get('nightly')?.state.status === 'up');
      expect(app.engine.get('nightly')?.state.lastResult?.message).toMatch(/^backup done/);
      expect((await fetch(`${app.url}/api/v1/push/not-a-real-token-xxxxxxx`)).status).toBe(404);
      expect((await fetch(`${app.url}/api/v1/push/${token}?status=exploded`)).status).toBe(400);
    } finally {
      await app.stop();
    }
  });

  it('vigil migrate-store copies the SQLite store into another, with progress', async () => {
    const path = tempConfig(
      `monitors:\n  - { id: a, interval: 1s, tcp: { host: 127.0.0.1, port: ${await closedPort()} } }\n`,
    );
    const app = await startApp({ configPath: path, logger: quiet().logger, port: 0 });
    await until(() => app.engine.get('a')?.state.lastResult !== undefined);
    await app.stop();
    const target = join(mkdtempSync(join(tmpdir(), 'vigil-copy-')), 'copy.db');
    let out = '';
    let err = '';
    const code = await main(
      ['node', 'vigil', 'migrate-store', target, path],
      { out: (s) => (out += s), err: (s) => (err += s), tty: false },
      { once: () => {} },
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^copied \d+ rows from .*vigil\.db to .*copy\.db/);
    expect(err).toMatch(/\[#+\] 100%/);
  });
});
