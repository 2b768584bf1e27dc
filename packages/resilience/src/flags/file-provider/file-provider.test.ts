import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, ProviderStatus, type Client } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FakeClock } from '../../clock/fake-clock.js';
import { systemClock } from '../../clock/index.js';
import type { FlagFileError } from '../../errors/index.js';
import { createFlagSupervisor } from '../flag-supervisor.js';
import { freshDomain, probe } from '../../../test/flag-kit.js';
import { createFileFlagProvider, type FileFlagProvider } from './file-provider.js';
import type { FileFlagProviderOptions } from './options.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-flags-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = (flags: Record<string, unknown>): string => `${JSON.stringify({ flags }, null, 2)}\n`;

/** Resolves with the details of the provider's next `type` event. */
function next(provider: FileFlagProvider, type: ProviderEvents): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const handler = (details?: unknown): void => {
      provider.events.removeHandler(type, handler);
      resolve((details ?? {}) as Record<string, unknown>);
    };
    provider.events.addHandler(type, handler);
  });
}

/** A provider on `path` (polling on a FakeClock, no notifications unless asked) behind a fresh client. */
async function open(
  path: string,
  options: Partial<FileFlagProviderOptions> = {},
): Promise<{
  provider: FileFlagProvider;
  client: Client;
  clock: FakeClock;
  errors: FlagFileError[];
}> {
  const clock = new FakeClock();
  const errors: FlagFileError[] = [];
  const provider = createFileFlagProvider({
    path,
    clock,
    watch: false,
    onError: (error) => errors.push(error),
    ...options,
  });
  const domain = freshDomain();
  await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
  return { provider, client: OpenFeature.getClient(domain), clock, errors };
}

describe('FileFlagProvider', () => {
  it('serves the flags of a JSON file through OpenFeature', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(
      path,
      json({
        on: true,
        colour: 'blue',
        limit: 3,
        config: { variants: { v1: { retries: 2 } }, defaultVariant: 'v1' },
        paused: { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
      }),
    );
    const { client, provider } = await open(path);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanDetails('on', false)).toMatchObject({
      value: true,
      reason: 'STATIC',
    });
    expect(await client.getStringValue('colour', 'red')).toBe('blue');
    expect(await client.getNumberValue('limit', 0)).toBe(3);
    expect(await client.getObjectDetails('config', {})).toMatchObject({
      value: { retries: 2 },
      variant: 'v1',
    });
    expect(await client.getBooleanDetails('paused', false)).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getBooleanDetails('colour', true)).toMatchObject({
      value: true,
      errorCode: 'TYPE_MISMATCH',
    });
    expect(provider.lastError).toBeUndefined();
    await provider.onClose();
  });

  it('reloads on change and announces which flags changed, deleted ones included', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ a: true, b: true, c: true }));
    const { client, provider, clock } = await open(path, { pollMs: 1000 });
    await writeFile(path, json({ a: false, c: true, d: true }));
    const changed = next(provider, ProviderEvents.ConfigurationChanged);
    await clock.advance(1000); // the poll rereads the file
    expect(await changed).toEqual({ flagsChanged: ['a', 'b', 'd'] });
    expect(await client.getBooleanValue('a', true)).toBe(false);

    // Rereading unchanged text announces nothing.
    let events = 0;
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, () => {
      events++;
    });
    await provider.reload();
    expect(events).toBe(0);
    await provider[Symbol.asyncDispose](); // stops the poll
    expect(clock.pendingTimers).toBe(0);
    await provider.close(); // twice is harmless
  });

  it('never overlaps reloads: calls during one share the next', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ a: true }));
    const { client, provider } = await open(path);
    const changes: unknown[] = [];
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
      changes.push(details?.flagsChanged);
    });
    await writeFile(path, json({ a: false }));
    const first = provider.reload();
    const second = provider.reload();
    const third = provider.reload();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(changes).toEqual([['a']]);
    expect(await client.getBooleanValue('a', true)).toBe(false);
    await provider.onClose();
  });

  it('keeps the last valid flags when the file turns invalid, reports it once, and recovers', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ a: true }));
    const { client, provider, errors } = await open(path);

    const stale = next(provider, ProviderEvents.Stale);
    await writeFile(path, '{ "flags": { "a": fals'); // half-written by an editor
    await provider.reload();
    expect((await stale).message).toContain('is invalid');
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(await client.getBooleanValue('a', false)).toBe(true); // last good flags
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'FLAG_FILE_INVALID', path });
    expect(errors[0]?.message).toContain(
      'the last valid flags stay in force until the file is fixed',
    );
    expect(provider.lastError).toBe(errors[0]);

    await provider.reload(); // the same bad file again: not news
    expect(errors).toHaveLength(1);

    await writeFile(path, json({ a: { variants: { on: true }, defaultVariant: 'of' } }));
    await provider.reload();
    expect(errors[1]?.message).toContain(
      'flags.a.defaultVariant: must be one of the variants (on)',
    );

    const ready = next(provider, ProviderEvents.Ready);
    const changed = next(provider, ProviderEvents.ConfigurationChanged);
    await writeFile(path, json({ a: false }));
    await provider.reload();
    await ready;
    expect(await changed).toEqual({ flagsChanged: ['a'] });
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('a', true)).toBe(false);
    expect(provider.lastError).toBeUndefined();
    await provider.onClose();
  });

  it('goes back to ready when an invalid file is restored to the last valid text', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ a: true }));
    const { client, provider } = await open(path);
    await writeFile(path, 'nonsense');
    await provider.reload();
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    await writeFile(path, json({ a: true }));
    await provider.reload();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await provider.onClose();
  });

  it('starts in error without a file, serving defaults, and becomes ready when the file appears', async () => {
    const path = join(dir, 'later.json');
    const { client, provider, errors } = await open(path);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(errors[0]?.message).toContain('cannot be read (ENOENT)');
    expect(errors[0]?.message).toContain('flags evaluate to their defaults');
    expect(await client.getBooleanDetails('a', true)).toMatchObject({
      value: true,
      errorCode: 'GENERAL',
    });

    await writeFile(path, '[]');
    const failed = next(provider, ProviderEvents.Error);
    await provider.reload();
    expect((await failed).message).toContain('must be an object');

    const ready = next(provider, ProviderEvents.Ready);
    await writeFile(path, json({ a: false }));
    await provider.reload();
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('a', true)).toBe(false);
    await provider.onClose();
  });

  it('reads YAML with a parse function', async () => {
    const path = join(dir, 'flags.yaml');
    await writeFile(path, 'flags:\n  monitor-api: false\n  notifier-slack: true\n');
    const { client, provider } = await open(path, { parse: parseYaml });
    expect(await client.getBooleanValue('monitor-api', true)).toBe(false);
    expect(await client.getBooleanValue('notifier-slack', false)).toBe(true);
    await provider.onClose();
  });

  it('follows real change notifications, including a save by rename', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ a: true }));
    const { client, provider } = await open(path, {
      clock: systemClock,
      watch: true,
      debounceMs: 20,
      pollMs: Infinity,
    });
    let changed = next(provider, ProviderEvents.ConfigurationChanged);
    await writeFile(join(dir, '.flags.json.tmp'), json({ a: false }));
    await rename(join(dir, '.flags.json.tmp'), path); // how editors and config tools save
    expect(await changed).toEqual({ flagsChanged: ['a'] });
    expect(await client.getBooleanValue('a', true)).toBe(false);

    changed = next(provider, ProviderEvents.ConfigurationChanged);
    await writeFile(path, json({ a: true })); // written in place
    expect(await changed).toEqual({ flagsChanged: ['a'] });
    await provider.onClose();
  });

  it('drives a FlagSupervisor: editing the file starts and stops children', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, json({ 'monitor.api': true }));
    const { client, provider, clock } = await open(path, { pollMs: 500 });
    const child = probe();
    const sup = createFlagSupervisor({
      client,
      clock,
      pollMs: Infinity, // the provider's change event alone must do it
      children: [{ id: 'api', flag: 'monitor.api', task: child.task }],
    });
    await sup.start();
    expect(child.live).toBe(1);
    await writeFile(path, json({ 'monitor.api': false }));
    const changed = next(provider, ProviderEvents.ConfigurationChanged);
    await clock.advance(500);
    await changed;
    await clock.flush();
    expect(child.live).toBe(0);
    expect(sup.getChild('api')?.state).toBe('disabled');
    await sup.stop();
    await provider.onClose();
  });
});

describe('createFileFlagProvider rejects bad options, naming the option', () => {
  const cases: [string, unknown, RegExp][] = [
    ['options', undefined, /options must be an object with a path/],
    ['path', { path: '' }, /path must be a non-empty file path/],
    ['yaml without parse', { path: '/etc/vigil/flags.yml' }, /is YAML but no parse was given/],
    ['parse', { path: 'f.json', parse: 'yaml' }, /parse must be a function/],
    ['watch', { path: 'f.json', watch: 'yes' }, /watch must be a boolean/],
    ['debounceMs', { path: 'f.json', debounceMs: -1 }, /debounceMs must be a number of ms >= 0/],
    ['pollMs', { path: 'f.json', pollMs: 0 }, /pollMs must be a number of ms > 0 or Infinity/],
    ['onError', { path: 'f.json', onError: 1 }, /onError must be a function/],
  ];
  it.each(cases)('%s', (_name, options, message) => {
    expect(() => createFileFlagProvider(options as FileFlagProviderOptions)).toThrow(message);
  });
});
