import { ProviderEvents } from '@openfeature/server-sdk';
import { describe, expect, it, vi } from 'vitest';
import { ProviderEventHub } from './provider-events.js';

describe('ProviderEventHub', () => {
  it('calls handlers in order with the context, and removes them', () => {
    const hub = new ProviderEventHub();
    const seen: string[] = [];
    const a = (details?: unknown) => void seen.push(`a ${JSON.stringify(details)}`);
    const b = () => void seen.push('b');
    hub.addHandler(ProviderEvents.ConfigurationChanged, a);
    hub.addHandler(ProviderEvents.ConfigurationChanged, b);
    hub.addHandler(ProviderEvents.Ready, b);
    expect(hub.getHandlers(ProviderEvents.ConfigurationChanged)).toEqual([a, b]);
    hub.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: ['x'] });
    expect(seen).toEqual(['a {"flagsChanged":["x"]}', 'b']);

    hub.removeHandler(ProviderEvents.ConfigurationChanged, a);
    hub.removeHandler(ProviderEvents.Stale, a); // never added: harmless
    hub.emit(ProviderEvents.ConfigurationChanged);
    expect(seen.at(-1)).toBe('b');
    hub.removeAllHandlers(ProviderEvents.ConfigurationChanged);
    expect(hub.getHandlers(ProviderEvents.ConfigurationChanged)).toEqual([]);
    expect(hub.getHandlers(ProviderEvents.Ready)).toEqual([b]);
    hub.removeAllHandlers();
    expect(hub.getHandlers(ProviderEvents.Ready)).toEqual([]);
  });

  it('reports a handler that throws or rejects to the SDK logger, and runs the others', async () => {
    const hub = new ProviderEventHub();
    const error = vi.fn();
    hub.setLogger({ error, warn: vi.fn(), info: vi.fn(), debug: vi.fn() });
    let after = 0;
    hub.addHandler(ProviderEvents.Ready, () => {
      throw new Error('sync');
    });
    hub.addHandler(ProviderEvents.Ready, () => Promise.reject(new Error('async')));
    hub.addHandler(ProviderEvents.Ready, () => {
      after++;
    });
    hub.emit(ProviderEvents.Ready);
    await Promise.resolve();
    expect(after).toBe(1);
    expect(error.mock.calls.map((call) => (call[1] as Error).message)).toEqual(['sync', 'async']);
  });

  it('without a logger, reports as a process warning', () => {
    const hub = new ProviderEventHub();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    hub.addHandler(ProviderEvents.Error, () => {
      throw new Error('handler bug');
    });
    hub.emit(ProviderEvents.Error);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('handler bug'), {
      code: 'VIGIL_LISTENER_ERROR',
    });
    warn.mockRestore();
  });
});
