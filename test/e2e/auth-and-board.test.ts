import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../packages/server/src/app.js';
import { ADMIN, launchBrowser, startVigil, tileStatuses } from './harness.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'vigil.yaml');
const EXAMPLE_IDS = [
  'vigil',
  'postgres',
  'mariadb',
  'redis',
  'rabbitmq',
  'mosquitto',
  'nats',
  'nightly-backup',
];

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startVigil({ file: EXAMPLE }), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await app.stop();
});

describe('dashboard: first run, sign-in and the board (examples/vigil.yaml)', () => {
  it('creates the admin on the setup page, shows the example monitors, signs out and in again', async () => {
    const token = await app.auth.setupToken();
    expect(token).toBeDefined();
    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();

    // Any page needs setup first; the token comes from the URL the server logged.
    await page.goto(`/setup?token=${token ?? ''}`);
    await page.getByRole('heading', { name: 'First-run setup' }).waitFor();
    await page.fill('input[name=password]', ADMIN.password);
    await page.fill('input[name=repeat]', ADMIN.password);
    await page.click('button[type=submit]');

    // Signed in: the board, every example monitor a tile with an icon and a status word.
    await page.waitForFunction(
      (n) => document.querySelectorAll('.tile').length === n,
      EXAMPLE_IDS.length,
    );
    expect(new URL(page.url()).pathname).toBe('/');
    expect(Object.keys(await tileStatuses(page)).sort()).toEqual([...EXAMPLE_IDS].sort());
    const tile = page.locator('.tile[data-id=postgres]');
    await expect.poll(() => tile.locator('.name').textContent()).toBe('PostgreSQL');
    expect((await tile.locator('.icon').textContent())?.trim()).not.toBe('');
    expect(await tile.locator('.label').textContent()).toMatch(/^(Up|Down|Pending|Degraded)$/);
    // Grouped as in the config, with who is on support.
    const groups = await page.$$eval('section.group', (s) =>
      s.map((e) => e.getAttribute('data-group')),
    );
    expect(groups).toEqual(['apps', 'data', 'messaging', 'jobs']);
    expect(await page.locator('section[data-group=apps] .support').textContent()).toContain(
      'Platform on-call',
    );

    // Search narrows the board and lands in the URL.
    await page.fill('input.search', 'redis');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 1);
    expect(new URL(page.url()).search).toBe('?q=redis');

    // Sign out, fail once, then sign in.
    await page.click('.signout button');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.fill('input[name=username]', ADMIN.username);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.tile').length === n,
      EXAMPLE_IDS.length,
    );
    await context.close();
  });

  it('answers the app shell on client-side routes and JSON 404s under /api', async () => {
    for (const path of ['/tv', '/monitors/postgres', '/login']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="app">');
    }
    const api = await fetch(`${app.url}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
