import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND, changed, checked, state } from '../../../test/store-events.js';
import type { AlertRuleConfig, MonitorConfig } from '../../config/index.js';
import type { OutboxIntent } from '../../store/index.js';
import type { AlertPayload } from '../intent.js';
import { createAlertRouter } from './router.js';

const monitor = (id: string, group = 'web', tags: string[] = []): MonitorConfig =>
  ({ id, name: id.toUpperCase(), group, tags, kind: 'tcp' }) as unknown as MonitorConfig;

const rule = (extra: Partial<AlertRuleConfig> = {}): AlertRuleConfig => ({
  name: 'ops',
  match: {},
  notifiers: ['hook'],
  events: ['down', 'up', 'degraded', 'flapping', 'certificate', 'reminder'],
  groupWaitMs: 0,
  certificateDays: 14,
  ...extra,
});

function setup(
  rules: AlertRuleConfig[],
  monitors = [monitor('api'), monitor('db', 'infra', ['critical'])],
) {
  const clock = new FakeClock();
  const enqueued: { monitorId: string; intents: readonly OutboxIntent[] }[] = [];
  const router = createAlertRouter({
    clock,
    config: { monitors, alerts: rules },
    enqueue: (monitorId, intents) => {
      enqueued.push({ monitorId, intents });
      return Promise.resolve();
    },
    publicUrl: 'https://status.example.com/',
  });
  const kinds = (intents: readonly OutboxIntent[]) =>
    intents.map(
      (i) => `${i.notifierId}:${(i.payload as AlertPayload).event.monitor.id}:${i.eventKind}`,
    );
  const later = () => kinds(enqueued.splice(0).flatMap((e) => e.intents));
  return { clock, router, kinds, later, t0: clock.now() };
}

describe('AlertRouter', () => {
  it('triggers on down, resolves on up, ignores pending, and pairs them with one dedup key', () => {
    const { router, kinds, t0 } = setup([rule({ notifiers: ['hook', 'pager'] })]);
    expect(router.onChange(changed('api', 'up', 'pending', t0))).toEqual([]);
    const down = router.onChange(changed('api', 'pending', 'down', t0));
    expect(kinds(down)).toEqual(['hook:api:trigger', 'pager:api:trigger']);
    const event = (down[0]?.payload as AlertPayload).event;
    expect(event).toMatchObject({
      kind: 'trigger',
      severity: 'critical',
      status: 'down',
      previousStatus: 'pending',
      monitor: { id: 'api', name: 'API', url: 'https://status.example.com/monitors/api' },
      dedupKey: 'vigil/ops/api',
    });
    expect(down[0]).toMatchObject({ dedupKey: 'vigil/ops/api', notBefore: t0 });
    // Still down after a crash: no second trigger.
    expect(router.onChange(changed('api', 'down', 'pending', t0))).toEqual([]);
    expect(router.onChange(changed('api', 'pending', 'down', t0))).toEqual([]);
    const up = router.onChange(changed('api', 'down', 'up', t0));
    expect(kinds(up)).toEqual(['hook:api:resolve', 'pager:api:resolve']);
    expect(up[0]?.dedupKey).toBe('vigil/ops/api');
    // Up without an open alert says nothing.
    expect(router.onChange(changed('api', 'pending', 'up', t0))).toEqual([]);
  });

  it.each([
    [{ monitors: ['api'] }, ['api']],
    [{ groups: ['infra'] }, ['db']],
    [{ tags: ['critical'] }, ['db']],
    [{ groups: ['web'], tags: ['critical'] }, []],
    [{}, ['api', 'db']],
  ])('routes by monitor, group and tag: %j', (match, expected) => {
    const { router } = setup([rule({ match })]);
    const routed = ['api', 'db'].filter(
      (id) => router.onChange(changed(id, 'pending', 'down', 0)).length > 0,
    );
    expect(routed).toEqual(expected);
  });

  it('sends only the events a rule lists; degraded resolves a trigger and opens its own alert', () => {
    const { router, kinds, t0 } = setup([rule({ events: ['down', 'up', 'degraded'] })]);
    router.onChange(changed('api', 'pending', 'down', t0));
    expect(kinds(router.onChange(changed('api', 'down', 'degraded', t0)))).toEqual([
      'hook:api:resolve',
      'hook:api:degraded',
    ]);
    expect(kinds(router.onChange(changed('api', 'degraded', 'up', t0)))).toEqual([
      'hook:api:resolve',
    ]);
    const quiet = setup([rule({ events: ['down'] })]);
    quiet.router.onChange(changed('api', 'pending', 'down', t0));
    expect(quiet.router.onChange(changed('api', 'down', 'up', t0)).map((i) => i.eventKind)).toEqual(
      ['resolve'],
    );
    expect(quiet.router.onChange(changed('api', 'up', 'degraded', t0))).toEqual([]);
  });

  it('mutes a monitor under maintenance or with a down parent, and alerts once the parent is back', () => {
    const { router, later, t0 } = setup([rule()]);
    const inMaintenance = state('down', t0, { maintenance: 'upgrade' });
    expect(router.onChange(changed('api', 'up', 'down', t0, 'check', inMaintenance))).toEqual([]);
    expect(router.onChange(changed('api', 'down', 'up', t0))).toEqual([]);
    const parentDown = state('down', t0, { parentDown: 'db' });
    expect(router.onChange(changed('api', 'up', 'down', t0, 'check', parentDown))).toEqual([]);
    router.onChecked(checked('api', t0, { outcome: 'fail', state: parentDown }));
    expect(later()).toEqual([]);
    // The parent recovered, the child is still down: now it alerts, once.
    router.onChecked(checked('api', t0 + MINUTE, { outcome: 'fail' }));
    router.onChecked(checked('api', t0 + 2 * MINUTE, { outcome: 'fail' }));
    expect(later()).toEqual(['hook:api:trigger']);
  });

  it('reminds every remindEvery while down (not while muted), and stops on resolve', async () => {
    const { router, clock, later, t0 } = setup([rule({ remindEveryMs: HOUR })]);
    router.onChange(changed('api', 'pending', 'down', t0));
    await clock.advance(HOUR);
    expect(later()).toEqual(['hook:api:reminder']);
    router.onChecked(
      checked('api', clock.now(), {
        outcome: 'fail',
        state: state('down', t0, { maintenance: 'w' }),
      }),
    );
    await clock.advance(HOUR);
    expect(later()).toEqual([]);
    router.onChecked(checked('api', clock.now(), { outcome: 'fail' }));
    await clock.advance(HOUR);
    expect(later()).toEqual(['hook:api:reminder']);
    router.onChange(changed('api', 'down', 'up', clock.now()));
    await clock.advance(3 * HOUR);
    expect(later()).toEqual([]);
  });

  it('resumes after a restart: a monitor down before it resolves and is reminded', async () => {
    const { router, clock, later, kinds, t0 } = setup([rule({ remindEveryMs: HOUR })]);
    router.restore(new Map([['api', state('down', t0)]]));
    await clock.advance(HOUR);
    expect(later()).toEqual(['hook:api:reminder']);
    expect(kinds(router.onChange(changed('api', 'down', 'up', clock.now())))).toEqual([
      'hook:api:resolve',
    ]);
  });

  it('flapping: N transitions within the window → one alert; resolved after a quiet window', async () => {
    const { router, clock, later, kinds } = setup([
      rule({ flapping: { transitions: 4, windowMs: 10 * MINUTE } }),
    ]);
    const seen: string[] = [];
    const flip = async (from: 'up' | 'down', to: 'up' | 'down') => {
      await clock.advance(MINUTE);
      seen.push(...kinds(router.onChange(changed('api', from, to, clock.now()))));
    };
    await flip('up', 'down');
    await flip('down', 'up');
    await flip('up', 'down');
    await flip('down', 'up'); // 4th transition: flapping
    await flip('up', 'down');
    await flip('down', 'up');
    await flip('up', 'down');
    expect(seen).toEqual([
      'hook:api:trigger',
      'hook:api:resolve',
      'hook:api:trigger',
      'hook:api:resolve',
      'hook:api:flapping',
    ]);
    await clock.advance(9 * MINUTE);
    expect(later()).toEqual([]);
    await clock.advance(MINUTE);
    // Stable (down) for a window: flapping over, and it is down, so it triggers.
    expect(later()).toEqual(['hook:api:flapping-resolved', 'hook:api:trigger']);
  });

  it('certificate close to expiry: one alert until renewed', () => {
    const { router, later, t0 } = setup([rule({ certificateDays: 14 })]);
    router.onChecked(checked('api', t0, { details: { daysLeft: 30 } }));
    router.onChecked(checked('api', t0, { details: { daysLeft: 13.5 } }));
    router.onChecked(checked('api', t0, { details: { daysLeft: 12 } }));
    expect(later()).toEqual(['hook:api:certificate']);
    router.onChecked(checked('api', t0, { details: { daysLeft: 90 } }));
    router.onChecked(checked('api', t0, { details: { daysLeft: 2 } }));
    expect(later()).toEqual(['hook:api:certificate']);
  });

  it('takes a reloaded config: a removed rule stops reminding, a new one routes', async () => {
    const { router, clock, later, kinds, t0 } = setup([rule({ remindEveryMs: HOUR })]);
    router.onChange(changed('api', 'pending', 'down', t0));
    router.apply({
      monitors: [monitor('api'), monitor('db', 'infra')],
      alerts: [rule({ name: 'infra', match: { groups: ['infra'] }, notifiers: ['chat'] })],
    });
    await clock.advance(2 * HOUR);
    expect(later()).toEqual([]);
    expect(router.onChange(changed('api', 'down', 'up', clock.now()))).toEqual([]);
    expect(kinds(router.onChange(changed('db', 'up', 'down', clock.now())))).toEqual([
      'chat:db:trigger',
    ]);
  });

  it('groups events of a rule within groupWait under one group and flush time', async () => {
    const { router, clock, t0 } = setup([rule({ groupWaitMs: 30 * SECOND })]);
    const a = router.onChange(changed('api', 'pending', 'down', t0));
    await clock.advance(10 * SECOND);
    const b = router.onChange(changed('db', 'pending', 'down', clock.now()));
    const payloads = [...a, ...b].map((i) => [i.notBefore, (i.payload as AlertPayload).group]);
    expect(payloads).toEqual([
      [t0 + 30 * SECOND, `ops@${t0 + 30 * SECOND}`],
      [t0 + 30 * SECOND, `ops@${t0 + 30 * SECOND}`],
    ]);
    await clock.advance(25 * SECOND);
    const c = router.onChange(changed('api', 'down', 'up', clock.now()));
    expect(c[0]?.notBefore).toBe(clock.now() + 30 * SECOND);
  });
});
