import { execFileSync } from 'node:child_process';

/**
 * Runs `script` in a fresh Node process (same loader flags as the bench runner) with `args`, and returns
 * the JSON object it prints as its last line. Fresh processes keep memory figures of one round clean.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape
export function runChild<T>(script: string, args: readonly string[]): T {
  const out = execFileSync(process.execPath, [...nodeArgs(), script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** Node flags of a benchmark process: TypeScript via tsx, GC exposed, packages built unless BENCH_SOURCE=1. */
export function nodeArgs(): string[] {
  const source = process.env.BENCH_SOURCE === '1' ? ['--conditions=source'] : [];
  return ['--import', 'tsx', ...source, '--expose-gc'];
}

/** Forces a full collection when the process runs with --expose-gc. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
