// `npm run bench -- <name> [args]`: builds the workspace packages, then runs bench/<name>/index.ts in a fresh
// Node process against the built packages (what production runs), with GC exposed so memory figures can be
// taken after a collection. BENCH_SOURCE=1 skips the build and runs the TypeScript sources instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeArgs } from './lib/child.js';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name);

if (name === undefined || !available.includes(name)) {
  process.stderr.write(
    `${name === undefined ? 'no benchmark named' : `unknown benchmark "${name}"`}; available: ${available.join(', ')}\n` +
      'usage: npm run bench -- <name> [args]\n',
  );
  process.exit(2);
}

if (process.env.BENCH_SOURCE !== '1') {
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: join(here, '..'),
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const result = spawnSync(process.execPath, [...nodeArgs(), join(here, name, 'index.ts'), ...args], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
