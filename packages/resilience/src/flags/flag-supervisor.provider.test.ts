// How the supervisor treats its provider: unavailable flags fall back (on by default), polling sees
// providers without events, evaluations that hang time out, and the OpenFeature constants match the SDK.
import {
  ErrorCode,
  ProviderEvents,
  ProviderFatalError,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { createFlagSupervisor } from './flag-supervisor.js';
import * as glue from './openfeature.js';
import { ScriptedProvider, clientFor, inMemory, probe } from '../../test/flag-kit.js';

describe('FlagSupervisor and its provider', () => {
  it('runs the children when the provider fails to evaluate (fallback on)', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ f: false });
    provider.resolve = () => {
      throw new Error('connection reset by flag service');
    };
    const child = probe();
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    expect(child.live).toBe(1);
    expect(sup.getChild('c')?.evaluation).toMatchObject({
      on: true,
      fallback: true,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'connection reset by flag service',
    });
    // The provider recovers: the next poll stops the child, as its flag says.
    provider.resolve = undefined;
    await clock.advance(1000);
    expect(child.live).toBe(0);
    expect(sup.getChild('c')?.state).toBe('disabled');
    await sup.stop();
  });

  it('runs the children while the provider is not ready, then follows it once it is', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ f: false }, { ready: false, withEvents: true });
    const child = probe();
    const sup = createFlagSupervisor({
      client: await clientFor(provider, { wait: false }),
      clock,
      pollMs: Infinity, // the provider's Ready event alone brings the change
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    expect(child.live).toBe(1);
    expect(sup.getChild('c')?.evaluation?.errorCode).toBe('PROVIDER_NOT_READY');
    provider.open();
    await clock.flush();
    expect(child.live).toBe(0);
    expect(sup.getChild('c')?.evaluation).toMatchObject({ on: false, fallback: false });
    await sup.stop();
  });

  it('runs the children when the provider is in a fatal error state', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ f: false });
    provider.initialize = () => Promise.reject(new ProviderFatalError('bad SDK key'));
    const child = probe();
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    expect(child.live).toBe(1);
    expect(sup.getChild('c')?.evaluation?.errorCode).toBe('PROVIDER_FATAL');
    await sup.stop();
  });

  it('treats a flag deleted from the provider as its fallback, and says so', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({ f: false, other: true });
    const child = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    const changes: unknown[] = [];
    sup.on('flag-changed', (e) => changes.push([e.previous, e.on, e.evaluation.errorCode]));
    await sup.start();
    flags.set({ other: true }); // the in-memory provider does not list deleted flags in its event
    await clock.flush();
    expect(child.live).toBe(1);
    expect(sup.getChild('c')?.evaluation).toMatchObject({
      on: true,
      fallback: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(changes).toEqual([
      [undefined, false, undefined],
      [false, true, 'FLAG_NOT_FOUND'],
    ]);
    await sup.stop();
  });

  it('uses fallback false when configured, and a child may override the supervisor’s fallback', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({});
    const strict = probe();
    const lenient = probe();
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      fallback: false,
      children: [
        { id: 'strict', flag: 'missing', task: strict.task },
        { id: 'lenient', flag: 'missing', task: lenient.task, fallback: true },
      ],
    });
    await sup.start();
    expect([strict.live, lenient.live]).toEqual([0, 1]);
    expect(sup.getChild('strict')?.state).toBe('disabled');
    await sup.stop();
  });

  it('treats a flag disabled in the provider, or not a boolean, as unavailable', async () => {
    const clock = new FakeClock();
    const flags = await inMemory({});
    flags.provider.putConfiguration({
      disabled: { variants: { on: true, off: false }, defaultVariant: 'off', disabled: true },
      colour: { variants: { red: 'red' }, defaultVariant: 'red', disabled: false },
    });
    const sup = createFlagSupervisor({
      client: flags.client,
      clock,
      children: [
        { id: 'd', flag: 'disabled', task: probe().task },
        { id: 's', flag: 'colour', task: probe().task },
      ],
    });
    await sup.start();
    expect(sup.getChild('d')?.evaluation).toMatchObject({
      on: true,
      fallback: true,
      reason: 'DISABLED',
    });
    expect(sup.getChild('s')?.evaluation).toMatchObject({ on: true, errorCode: 'TYPE_MISMATCH' });
    await sup.stop();
  });

  it('tolerates a client that throws or answers with something other than a boolean', async () => {
    const clock = new FakeClock();
    const broken = {
      getBooleanDetails: (flag: string) => {
        if (flag === 'throws') throw new TypeError('client bug');
        return Promise.resolve({
          flagKey: flag,
          flagMetadata: {},
          value: 'yes' as unknown as boolean,
        });
      },
      addHandler: () => undefined,
      removeHandler: () => undefined,
    };
    const sup = createFlagSupervisor({
      client: broken,
      clock,
      fallback: false,
      children: [
        { id: 'a', flag: 'throws', task: probe().task },
        { id: 'b', flag: 'garbage', task: probe().task },
      ],
    });
    await sup.start();
    expect(sup.getChild('a')?.evaluation).toMatchObject({ on: false, errorCode: 'GENERAL' });
    expect(sup.getChild('a')?.evaluation?.errorMessage).toContain('client bug');
    expect(sup.getChild('b')?.evaluation).toMatchObject({ on: false, errorCode: 'TYPE_MISMATCH' });
    await sup.stop();
  });

  it('polls providers without events, every pollMs', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ f: false });
    const child = probe();
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      pollMs: 250,
      children: [{ id: 'c', flag: 'f', task: child.task }],
    });
    await sup.start();
    provider.values.set('f', true);
    await clock.advance(249);
    expect(child.live).toBe(0);
    await clock.advance(1);
    expect(child.live).toBe(1);
    provider.values.set('f', false);
    await clock.advance(250);
    expect(child.live).toBe(0);
    await sup.stop();
    expect(clock.pendingTimers).toBe(0); // the poll is cancelled with the supervisor
  });

  it('polls every second by default, never with pollMs Infinity (refresh() still works)', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ f: false });
    const polled = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      children: [{ id: 'c', flag: 'f', task: probe().task }],
    });
    const idle = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      pollMs: Infinity,
      children: [{ id: 'c', flag: 'f', task: probe().task }],
    });
    await polled.start();
    await idle.start();
    provider.values.set('f', true);
    await clock.advance(1000);
    expect(polled.getChild('c')?.state).toBe('running');
    await clock.advance(60_000);
    expect(idle.getChild('c')?.state).toBe('disabled');
    await idle.refresh();
    expect(idle.getChild('c')?.state).toBe('running');
    await polled.stop();
    await idle.stop();
  });

  it('gives a hanging evaluation the fallback after evaluationTimeoutMs and stops asking that round', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider({ a: false, b: false, c: false });
    provider.resolve = () => new Promise(() => undefined); // never answers
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      evaluationTimeoutMs: 2000,
      concurrency: 1,
      pollMs: Infinity,
      fallback: true,
      children: ['a', 'b', 'c'].map((flag) => ({ id: flag, flag, task: probe().task })),
    });
    const starting = sup.start();
    await clock.advance(1999);
    expect(sup.getChild('a')?.state).toBe('pending');
    await clock.advance(1);
    await starting;
    expect(provider.calls).toBe(1); // b and c were not asked once a timed out
    expect(sup.whichChildren().map((c) => [c.state, c.evaluation?.errorCode])).toEqual([
      ['running', 'EVALUATION_TIMEOUT'],
      ['running', 'EVALUATION_TIMEOUT'],
      ['running', 'EVALUATION_TIMEOUT'],
    ]);
    expect(sup.getChild('a')?.evaluation?.errorMessage).toContain('2000 ms');
    await sup.stop();
  });

  it('keeps at most `concurrency` evaluations in flight', async () => {
    const clock = new FakeClock();
    const provider = new ScriptedProvider();
    let inFlight = 0;
    let most = 0;
    provider.resolve = async () => {
      most = Math.max(most, ++inFlight);
      await clock.sleep(10);
      inFlight--;
      return { value: true, reason: 'STATIC' };
    };
    const sup = createFlagSupervisor({
      client: await clientFor(provider),
      clock,
      concurrency: 3,
      children: Array.from({ length: 10 }, (_, i) => ({
        id: `c${i}`,
        flag: `f${i}`,
        task: probe().task,
      })),
    });
    const starting = sup.start();
    await clock.advance(100);
    await starting;
    expect(provider.calls).toBe(10);
    expect(most).toBe(3);
    await sup.stop();
  });

  it('spells the OpenFeature event names, error codes and reasons as the SDK does', () => {
    expect(glue.CONFIGURATION_CHANGED).toBe(ProviderEvents.ConfigurationChanged);
    expect(glue.PROVIDER_READY).toBe(ProviderEvents.Ready);
    expect(glue.PROVIDER_STALE).toBe(ProviderEvents.Stale);
    expect(glue.PROVIDER_ERROR).toBe(ProviderEvents.Error);
    expect(glue.FLAG_NOT_FOUND).toBe(ErrorCode.FLAG_NOT_FOUND);
    expect(glue.TYPE_MISMATCH).toBe(ErrorCode.TYPE_MISMATCH);
    expect(glue.PARSE_ERROR).toBe(ErrorCode.PARSE_ERROR);
    expect(glue.GENERAL).toBe(ErrorCode.GENERAL);
    for (const [key, value] of Object.entries(glue.reasons)) {
      expect(StandardResolutionReasons[key as keyof typeof StandardResolutionReasons]).toBe(value);
    }
  });
});
