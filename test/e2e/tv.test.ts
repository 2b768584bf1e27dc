import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../packages/server/src/app.js';
import { launchBrowser, signedInPage, startVigil } from './harness.js';

const MONITORS = 500;
const GROUPS = ['web', 'api', 'data', 'queues', 'batch'];

/** A config of `count` TCP monitors in five groups; every seventh points at a closed port (red). */
export function manyMonitors(count: number, openPort: number, closedPort: number): string {
  const groups = GROUPS.map(
    (g, i) => `  - { id: ${g}, name: ${g.toUpperCase()}, support: { name: Person ${i + 1} } }`,
  );
  const monitors = Array.from({ length: count }, (_, i) => {
    const port = i % 7 === 3 ? closedPort : openPort;
    return `  - { id: m${i}, name: Service ${i}, group: ${GROUPS[i % GROUPS.length]}, interval: 1h, failureThreshold: 1, tcp: { host: 127.0.0.1, port: ${port} } }`;
  });
  return `groups:\n${groups.join('\n')}\nmonitors:\n${monitors.join('\n')}\n`;
}

async function listen(): Promise<Server> {
  const server = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let open: Server;
let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  open = await listen();
  const closed = await listen();
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const yaml = manyMonitors(MONITORS, (open.address() as { port: number }).port, closedPort);
  [app, browser] = await Promise.all([startVigil({ yaml }), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await app.stop();
  await new Promise((r) => open.close(r));
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pairs of boxes that overlap (sweep over x: O(n log n) for a grid). */
function overlaps(boxes: readonly Box[]): [Box, Box][] {
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  const found: [Box, Box][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < a.x + a.width; j++) {
      const b = sorted[j]!;
      if (b.y < a.y + a.height && a.y < b.y + b.height) found.push([a, b]);
    }
  }
  return found;
}

describe('TV mode', () => {
  it('fits 500 monitors on a 1920×1080 screen without overlap or scrolling, with support and ticker', async () => {
    const { context, page } = await signedInPage(browser, app, { width: 1920, height: 1080 });
    await page.goto('/tv');
    await page.waitForFunction((n) => document.querySelectorAll('.tile').length === n, MONITORS);
    await page.waitForFunction(
      () => document.querySelectorAll('.tile[data-status=down]').length > 0,
    );
    const path = join(tmpdir(), `vigil-tv-${process.pid}.png`);
    await page.screenshot({ path });

    const boxes = await page.$$eval('.tv-grid > *', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    expect(boxes).toHaveLength(MONITORS + GROUPS.length);
    expect(overlaps(boxes)).toEqual([]);
    for (const b of boxes) {
      expect(b.width).toBeGreaterThan(10);
      expect(b.height).toBeGreaterThan(10);
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(1920);
      expect(b.y + b.height).toBeLessThanOrEqual(1080);
    }
    const scroll = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    expect(scroll).toEqual({ width: 1920, height: 1080 });

    // At 500 the tiles still carry names; every group says who is on support; no board chrome.
    expect(await page.locator('.tv-grid').getAttribute('data-detail')).toBe('name');
    expect(await page.locator('.tile[data-id=m3] .name').textContent()).toBe('Service 3');
    const support = await page.locator('.tv-support').textContent();
    for (let i = 1; i <= GROUPS.length; i++) expect(support).toContain(`Person ${i}`);
    expect(await page.locator('input.search').count()).toBe(0);
    expect(await page.locator('.ticker').isVisible()).toBe(true);
    await context.close();
  });

  it('shows only the problems with ?problems=1, in bigger tiles', async () => {
    const { context, page } = await signedInPage(browser, app, { width: 1920, height: 1080 });
    await page.goto('/tv?problems=1');
    const down = Math.ceil((MONITORS - 3) / 7);
    // Problems include monitors not checked yet (pending): wait until every first run is in.
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('.tile').length === n &&
        document.querySelectorAll('.tile[data-status=down]').length === n,
      down,
    );
    const statuses = await page.$$eval('.tile', (t) => t.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['down']));
    expect(await page.locator('.tv-grid').getAttribute('data-detail')).toBe('full');
    await context.close();
  });
});

describe('a big board (more than 400 monitors)', () => {
  it('shows every monitor as a one-line tile with icon, name and an accessible status, in groups', async () => {
    const { context, page } = await signedInPage(browser, app, { width: 1920, height: 1080 });
    await page.goto('/');
    await page.waitForFunction((n) => document.body.dataset.painted === String(n), MONITORS);
    await page.waitForSelector('.tile.d-flat[data-id=m3][data-status=down]');
    expect(await page.locator('.tile.d-flat').count()).toBe(MONITORS);
    const tile = page.locator('.tile[data-id=m3]');
    expect(await tile.getAttribute('data-status')).toBe('down');
    expect(await tile.textContent()).toBe('✖ Service 3');
    expect(await tile.getAttribute('aria-label')).toBe('Service 3: Down');
    expect(await tile.getAttribute('title')).toMatch(/^Service 3: Down — ./);
    expect(await tile.getAttribute('href')).toBe('/monitors/m3');
    const box = await tile.boundingBox();
    expect(box?.height).toBe(20);
    expect(box?.width).toBeGreaterThanOrEqual(120);
    // Sections in the configured order, each with its tiles.
    const groups = await page.$$eval('section.group', (s) =>
      s.map((e) => e.getAttribute('data-group')),
    );
    expect(groups).toEqual(GROUPS);
    expect(await page.locator('section[data-group=api] .tile').count()).toBe(MONITORS / 5);
    // Problems only: the down tiles, still flat (the board counts all monitors, not the shown ones).
    await page.keyboard.press('p');
    const down = Math.ceil((MONITORS - 3) / 7);
    await page.waitForFunction((n) => document.querySelectorAll('.tile').length === n, down);
    expect(await page.locator('.tile.d-flat[data-status=down]').count()).toBe(down);
    await context.close();
  });
});
