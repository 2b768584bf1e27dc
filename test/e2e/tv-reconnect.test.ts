import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../packages/server/src/app.js';
import { launchBrowser, signedInPage } from './harness.js';

/** Two TCP monitors; `db` points at `dbPort` and is checked every 2 s (so soon after a restart). */
const config = (openPort: number, dbPort: number): string => `monitors:
  - { id: web, name: Web, interval: 1h, failureThreshold: 1, tcp: { host: 127.0.0.1, port: ${openPort} } }
  - { id: db, name: Database, interval: 2s, timeout: 1s, failureThreshold: 1, tcp: { host: 127.0.0.1, port: ${dbPort} } }
`;

async function listen(): Promise<Server> {
  const server = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: Server): number => (server.address() as { port: number }).port;

let open: Server;
let browser: Browser;
const apps: RunningApp[] = [];
beforeAll(async () => {
  [open, browser] = await Promise.all([listen(), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await Promise.all(apps.map((a) => a.stop().catch(() => undefined)));
  await new Promise((r) => open.close(r));
});

describe('TV mode across a server restart', () => {
  it('says it is offline while the server is down, then reconnects by itself and shows the new state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-tv-restart-'));
    const configPath = join(dir, 'vigil.yaml');
    const logger = pino({ level: 'silent' });
    writeFileSync(configPath, config(portOf(open), portOf(open)));
    const first = await startApp({ configPath, port: 0, watch: false, logger });
    apps.push(first);
    const port = Number(new URL(first.url).port);

    const { context, page } = await signedInPage(browser, first);
    await page.goto('/tv');
    await page.waitForSelector('[data-connection=live]');
    await page.waitForSelector('.tile[data-id=db][data-status=up]');

    await first.stop();
    await page.waitForSelector('[data-connection=offline]');
    // Still showing what it last knew, marked as possibly stale by the badge.
    expect(await page.locator('.tile[data-id=db]').getAttribute('data-status')).toBe('up');

    // Restarted on the same port and database, with the database monitor now pointing at a closed port.
    const closed = await listen();
    const closedPort = portOf(closed);
    await new Promise((r) => closed.close(r));
    writeFileSync(configPath, config(portOf(open), closedPort));
    apps.push(await startApp({ configPath, port, watch: false, logger }));

    // The page was never reloaded: the live feed reconnects on its own (session kept in the store).
    await page.waitForSelector('[data-connection=live]', { timeout: 20_000 });
    await page.waitForSelector('.tile[data-id=db][data-status=down]', { timeout: 20_000 });
    expect(await page.locator('.tile[data-id=web]').getAttribute('data-status')).toBe('up');
    await context.close();
  }, 60_000); // two server starts and the feed's reconnect backoff, on a busy CI machine
});
