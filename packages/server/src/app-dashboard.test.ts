import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { serveDashboard } from './app-dashboard.js';

async function serve(webRoot: string) {
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const app = Fastify();
  app.get('/api/v1/ping', () => ({ ok: true }));
  await app.register(serveDashboard(webRoot, logger));
  await app.ready();
  return { app, warnings };
}

describe('serveDashboard', () => {
  it('without a build, says how to build it on / (503), logs it once, and leaves the API alone', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'vigil-web-')), 'dist');
    const { app, warnings } = await serve(missing);
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(page.body).toContain('dashboard is not built');
      expect(page.body).toContain('npm run build');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`no ${missing}/index.html`);
      expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({
        ok: true,
      });
    } finally {
      await app.close();
    }
  });

  it('with a build, serves the app shell for client routes, caches hashed assets, and keeps API 404s', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Vigil</title>');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    const { app, warnings } = await serve(root);
    try {
      for (const url of ['/', '/tv', '/monitors/web']) {
        const page = await app.inject({ method: 'GET', url });
        expect(page.statusCode, url).toBe(200);
        expect(page.body, url).toContain('<title>Vigil</title>');
        expect(page.headers['cache-control'], url).toBe('no-cache');
      }
      const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await app.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode).toBe(404);
      expect(warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
