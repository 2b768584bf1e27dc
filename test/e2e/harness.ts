// End-to-end harness: a real Vigil (startApp: SQLite, the HTTP server, the built dashboard) on a free port,
// and headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../packages/server/src/app.js';

export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN = { username: 'admin', password: 'correct horse battery staple' };

/** Starts Vigil on a free port with `yaml` (or a copy of a config file) in a fresh temp directory. */
export async function startVigil(config: { yaml: string } | { file: string }): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const path = join(dir, 'vigil.yaml');
  if ('yaml' in config) writeFileSync(path, config.yaml);
  else copyFileSync(config.file, path);
  return startApp({ configPath: path, port: 0, watch: false, logger: pino({ level: 'silent' }) });
}

/** Headless Chromium (no sandbox: CI runs as root). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A browser context signed in as the admin (created when missing), and a page in it. */
export async function signedInPage(
  browser: Browser,
  app: RunningApp,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  if (await app.auth.setupRequired()) await app.auth.createUser(ADMIN.username, ADMIN.password);
  const context = await browser.newContext({ viewport, baseURL: app.url });
  const response = await context.request.post('/api/v1/auth/login', { data: ADMIN });
  if (!response.ok())
    throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
  return { context, page: await context.newPage() };
}

/** The status each tile on the page shows, by monitor id. */
export async function tileStatuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval('.tile', (tiles) =>
    Object.fromEntries(
      tiles.map((t) => [t.getAttribute('data-id') ?? '', t.getAttribute('data-status') ?? '']),
    ),
  );
}
