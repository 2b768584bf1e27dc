import { FakeClock } from '@vigil/resilience/testing';
import { describe, expect, it } from 'vitest';
import { watchConfigFile } from './watch.js';

describe('watchConfigFile', () => {
  it('reloads once after a burst of events for the file, ignoring other files', async () => {
    const clock = new FakeClock();
    let emit: (name: string | null) => void = () => {};
    let stopped = false;
    const fs = {
      watchDir: (_dir: string, onEvent: (name: string | null) => void) => {
        emit = onEvent;
        return () => (stopped = true);
      },
    };
    let reloads = 0;
    const stop = watchConfigFile({
      dir: '/etc/vigil',
      fileName: 'vigil.yaml',
      fs,
      clock,
      onChange: () => reloads++,
    });
    emit('vigil.yaml');
    await clock.advance(100);
    emit('.vigil.yaml.swp');
    emit(null);
    await clock.advance(199);
    expect(reloads).toBe(0);
    await clock.advance(1);
    expect(reloads).toBe(1);
    emit('other.yaml');
    await clock.advance(1000);
    expect(reloads).toBe(1);
    emit('vigil.yaml');
    stop();
    await clock.advance(1000);
    expect(reloads).toBe(1);
    expect(stopped).toBe(true);
  });
});
