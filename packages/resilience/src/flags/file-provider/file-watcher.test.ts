import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import { watchFile, type DirectoryWatcher } from './file-watcher.js';

/** A directory watcher the test fires by hand. */
function fakeDirectory() {
  const emitter = new EventEmitter();
  let listener: (() => void) | undefined;
  let watchedDirectory = '';
  let closed = false;
  return {
    watchDirectory: (directory: string, fn: () => void): DirectoryWatcher => {
      watchedDirectory = directory;
      listener = fn;
      return {
        on: (event, handler) => emitter.on(event, handler),
        close: () => {
          closed = true;
        },
      };
    },
    fire: () => listener?.(),
    fail: (error: Error) => emitter.emit('error', error),
    get directory() {
      return watchedDirectory;
    },
    get closed() {
      return closed;
    },
  };
}

describe('watchFile', () => {
  it('watches the directory and calls onChange once after a burst of notifications (debounce)', async () => {
    const clock = new FakeClock();
    const dir = fakeDirectory();
    let changes = 0;
    const watcher = watchFile({
      path: '/etc/vigil/flags.json',
      clock,
      watch: true,
      debounceMs: 100,
      pollMs: Infinity,
      onChange: () => changes++,
      onWatchError: () => undefined,
      watchDirectory: dir.watchDirectory,
    });
    expect(dir.directory).toBe('/etc/vigil');
    dir.fire(); // an editor: write temp file, rename over, touch
    await clock.advance(60);
    dir.fire();
    await clock.advance(60);
    dir.fire();
    await clock.advance(99);
    expect(changes).toBe(0);
    await clock.advance(1);
    expect(changes).toBe(1);
    watcher.close();
    expect(dir.closed).toBe(true);
    dir.fire();
    await clock.advance(1000);
    expect(changes).toBe(1);
  });

  it('polls every pollMs, and keeps polling when notifications fail', async () => {
    const clock = new FakeClock();
    const dir = fakeDirectory();
    const errors: unknown[] = [];
    let changes = 0;
    const watcher = watchFile({
      path: 'flags.json',
      clock,
      watch: true,
      debounceMs: 10,
      pollMs: 1000,
      onChange: () => changes++,
      onWatchError: (error) => errors.push(error),
      watchDirectory: dir.watchDirectory,
    });
    dir.fail(new Error('ENOSPC: inotify watch limit reached'));
    expect(errors).toHaveLength(1);
    expect(dir.closed).toBe(true);
    await clock.advance(3000);
    expect(changes).toBe(3);
    watcher.close();
    await clock.advance(3000);
    expect(changes).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports a directory that cannot be watched and relies on polling', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let changes = 0;
    const watcher = watchFile({
      path: '/nonexistent-vigil-dir/flags.json',
      clock,
      watch: true,
      debounceMs: 10,
      pollMs: 500,
      onChange: () => changes++,
      onWatchError: (error) => errors.push(error),
    });
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
    await clock.advance(500);
    expect(changes).toBe(1);
    watcher.close();
  });
});
