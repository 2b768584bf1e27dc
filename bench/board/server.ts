// A Vigil server for the board benchmark, in a process of its own: `server.ts <monitors> <intervalSeconds>
// <targetPort> <closedPort>`. Writes a config of that many TCP monitors (every ninth at a closed port, so the
// board has red tiles) plus one push monitor, `flip`, that the benchmark turns down and up; prints one JSON
// line `{ url, pid }` once it listens; stops on SIGTERM.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type * as AppModule from '../../packages/server/src/app.js';

const { startApp } = (await import(
  process.env.BENCH_SOURCE === '1'
    ? '../../packages/server/src/app.js'
    : '../../packages/server/dist/app.js'
)) as typeof AppModule;

import { FLIP_TOKEN } from './shared.js';
const GROUPS = ['web', 'api', 'data', 'queues', 'batch', 'edge', 'auth', 'search'];

const [count = '5000', interval = '30', open = '0', closed = '0'] = process.argv.slice(2);
const lines = [
  'groups:',
  ...GROUPS.map(
    (g, i) => `  - { id: ${g}, name: ${g.toUpperCase()}, support: { name: On-call ${i + 1} } }`,
  ),
  'monitors:',
  `  - { id: flip, name: Flip, group: web, failureThreshold: 1, push: { period: 1h, token: ${FLIP_TOKEN} } }`,
];
for (let i = 0; i < Number(count); i++) {
  const port = i % 9 === 4 ? closed : open;
  lines.push(
    `  - { id: m${i}, name: Service ${i}, group: ${GROUPS[i % GROUPS.length] ?? 'web'}, interval: ${interval}s, failureThreshold: 1, tcp: { host: 127.0.0.1, port: ${port} } }`,
  );
}
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-board-'));
writeFileSync(join(dir, 'vigil.yaml'), `${lines.join('\n')}\n`);
const app = await startApp({
  configPath: join(dir, 'vigil.yaml'),
  port: 0,
  watch: false,
  logger: pino({ level: 'warn' }, process.stderr),
});
process.stdout.write(`${JSON.stringify({ url: app.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
