import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A real black hole needs packets to be dropped. Dropping them on the shared loopback would hurt everything
// else on the machine, so the scenario runs in a private network namespace (root and util-linux `unshare`).
const canUnshare =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-n', 'true']).status === 0 &&
  spawnSync('ip', ['-V']).status === 0;

const fixture = fileURLToPath(new URL('./fixtures/blackhole.ts', import.meta.url));

interface Result {
  connectTimeoutMs: number;
  connectError: string;
  pingDetectMs: number;
  keepAliveDetectMs: number;
  plainStatus: string;
}

describe.skipIf(!canUnshare)('HealthChecker against a black-holed peer (private netns)', () => {
  it('connect timeout, ping and TCP keepalive each notice it; a bare socket does not', () => {
    const script = [
      'ip link set lo up',
      'ip route add 10.9.9.0/24 dev lo',
      `exec "${process.execPath}" --import tsx "${fixture}"`,
    ].join(' && ');
    const out = execFileSync('unshare', ['-n', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 40_000,
    });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as Result;
    expect(result.connectTimeoutMs).toBeGreaterThanOrEqual(195);
    expect(result.connectTimeoutMs).toBeLessThan(1500); // 200 ms, plus what a busy machine adds
    expect(result.connectError).toBe('connect to tcp 10.9.9.2:5432 timed out after 200 ms');
    // ping: the next ping (≤ 200 ms) gets no reply within 200 ms
    expect(result.pingDetectMs).toBeLessThan(1500);
    // keepalive: 1 s idle, then libuv's 10 probes 1 s apart (Node 20: TCP_KEEPINTVL 1, TCP_KEEPCNT 10)
    expect(result.keepAliveDetectMs).toBeGreaterThan(1000);
    expect(result.keepAliveDetectMs).toBeLessThan(20_000);
    // with neither, an idle socket over a dead network looks healthy
    expect(result.plainStatus).toBe('up');
  }, 45_000);
});
