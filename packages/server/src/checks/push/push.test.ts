import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { loadDocExamples } from '../../../test/doc-yaml.js';
import { schemaIssues } from '../../../test/check-harness.js';
import { loadConfig } from '../../config/index.js';
import { checkKinds } from '../registry.js';
import { createHeartbeatRegistry, defaultGrace, push, pushMonitors } from './index.js';

const TOKEN = 'a'.repeat(32);

/** A push check of monitor `job` on a FakeClock, created now, with a registry as its heartbeat source. */
async function setup(config: Record<string, unknown> = { period: '5m', token: TOKEN }) {
  const clock = new FakeClock();
  const registry = createHeartbeatRegistry({ clock });
  const parsed = push.schema.parse(config);
  registry.sync([{ monitorId: 'job', token: parsed.token }]);
  const check = await push.create(parsed, { clock, configDir: '.', heartbeats: registry }, 'job');
  const run = () =>
    check.run({ signal: new AbortController().signal, clock, timeoutMs: 1000, monitorId: 'job' });
  const advance = (ms: number) => clock.advance(ms);
  return { clock, registry, run, advance };
}

describe('push check', () => {
  it('is pending until the first heartbeat, then fails past period + grace', async () => {
    const { run, advance } = await setup();
    expect(await run()).toMatchObject({
      outcome: 'pending',
      message: 'waiting for the first heartbeat (expected every 5m + 1m grace)',
    });
    await advance(6 * 60_000);
    expect((await run()).outcome).toBe('pending');
    await advance(1000);
    expect(await run()).toMatchObject({
      outcome: 'fail',
      message: 'no heartbeat since monitoring started 6m1s ago (expected every 5m + 1m grace)',
    });
  });

  it('passes while heartbeats arrive, and fails when they stop', async () => {
    const { registry, run, advance } = await setup();
    await advance(60_000);
    registry.record(TOKEN);
    expect(await run()).toMatchObject({ outcome: 'ok', message: 'heartbeat just now' });
    await advance(2 * 60_000);
    expect(await run()).toMatchObject({ outcome: 'ok', message: 'heartbeat 2m ago' });
    await advance(4 * 60_000);
    expect((await run()).outcome).toBe('ok'); // exactly period + grace: still in time
    await advance(1);
    const r = await run();
    expect(r).toMatchObject({
      outcome: 'fail',
      message: 'no heartbeat for 6m (expected every 5m + 1m grace)',
      details: { lastHeartbeat: '2026-01-01T00:01:00.000Z' },
    });
    registry.record(TOKEN);
    expect((await run()).outcome).toBe('ok');
  });

  it("reports the last heartbeat's own outcome, message and value while it is recent", async () => {
    const { registry, run, advance } = await setup();
    registry.record(TOKEN, { status: 'down', msg: 'backup failed: disk full', value: '42.5' });
    await advance(30_000);
    expect(await run()).toMatchObject({
      outcome: 'fail',
      message: 'backup failed: disk full (heartbeat 30s ago)',
      value: 42.5,
    });
    registry.record(TOKEN, { status: 'degraded', msg: 'slow' });
    const r = await run();
    expect(r).toMatchObject({ outcome: 'degraded', message: 'slow (heartbeat just now)' });
    expect(r.value).toBeUndefined();
  });

  it('rounds long silences to the minute', async () => {
    const { registry, run, advance } = await setup({ period: '1h', token: TOKEN });
    registry.record(TOKEN);
    await advance(2 * 3_600_000 + 5 * 60_000 + 42_000);
    expect((await run()).message).toBe('no heartbeat for 2h5m (expected every 1h + 12m grace)');
  });

  it('uses the configured grace', async () => {
    const { registry, run, advance } = await setup({ period: '1m', grace: 0, token: TOKEN });
    registry.record(TOKEN);
    await advance(60_000);
    expect((await run()).outcome).toBe('ok');
    await advance(1);
    expect((await run()).message).toBe('no heartbeat for 1m (expected every 1m + 0ms grace)');
  });

  it.each([
    [5 * 60_000, 60_000],
    [60_000, 12_000],
    [10_000, 10_000],
    [86_400_000, 17_280_000],
    [61_000, 13_000],
  ])('defaults grace for a period of %ims to %ims', (period, grace) => {
    expect(defaultGrace(period)).toBe(grace);
    expect(push.schema.parse({ period }).grace).toBe(grace);
  });

  it('validates its config', () => {
    expect(
      schemaIssues(push, { period: '500ms', grace: 'soon', token: 'short', extra: 1 }),
    ).toEqual([
      'period: "500ms" is out of range; use at least 1s',
      'grace: "soon" is not a duration; write e.g. 30s, 5m, 1h30m, 250ms or a number of ms',
      'token: must be 16–128 letters, digits, "-" or "_"; generate one with `openssl rand -hex 16`',
      ': Unrecognized key: "extra"',
    ]);
    expect(schemaIssues(push, {})).toEqual(['period: Invalid input']);
  });

  it('lists the push monitors of a config, with their tokens, for the registry', () => {
    const config = loadConfig(
      `
monitors:
  - id: nightly-backup
    push: { period: 1d, token: "\${BACKUP_PUSH_TOKEN}" }
  - id: db
    tcp: { host: 127.0.0.1, port: 5432 }
  - id: cron
    push: { period: 5m }
`,
      {
        file: 'vigil.yaml',
        dir: '.',
        env: { BACKUP_PUSH_TOKEN: 'b'.repeat(24) },
        kinds: checkKinds,
      },
    );
    expect(pushMonitors(config.monitors)).toEqual([
      { monitorId: 'nightly-backup', token: 'b'.repeat(24) },
      { monitorId: 'cron', token: undefined },
    ]);
    expect(config.monitors[0]?.check).toEqual({
      period: 86_400_000,
      grace: 17_280_000,
      token: 'b'.repeat(24),
    });
  });

  it('documents valid examples in docs/checks.md', () => {
    const env = { BACKUP_PUSH_TOKEN: 'c'.repeat(32), WORKER_PUSH_TOKEN: 'd'.repeat(32) };
    const monitors = loadDocExamples('push', env).flatMap((c) => c.monitors);
    expect(monitors.map((m) => [m.id, m.check])).toEqual([
      ['nightly-backup', { period: 86_400_000, grace: 7_200_000, token: 'c'.repeat(32) }],
      ['queue-worker', { period: 60_000, grace: 12_000, token: 'd'.repeat(32) }],
    ]);
  });
});
