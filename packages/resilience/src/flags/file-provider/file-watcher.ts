import { watch as fsWatch } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Timer } from '../../clock/index.js';

/** Options of {@link watchFile}. */
export interface FileWatchOptions {
  readonly path: string;
  readonly clock: Clock;
  /** Use the operating system's change notifications. */
  readonly watch: boolean;
  /** Quiet time after the last notification before `onChange`, in ms. */
  readonly debounceMs: number;
  /** `onChange` also runs this often, in ms (`Infinity`: never). */
  readonly pollMs: number;
  /** Something may have changed: reread the file. */
  readonly onChange: () => void;
  /** The notifications failed (the directory went away, too many watchers); polling carries on. */
  readonly onWatchError: (error: unknown) => void;
  /** Watches a directory; default `fs.watch` (not persistent: it never keeps the process alive). */
  readonly watchDirectory?: (directory: string, listener: () => void) => DirectoryWatcher;
}

/** The part of `fs.FSWatcher` the file watcher uses. */
export interface DirectoryWatcher {
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

const watchDirectory = (directory: string, listener: () => void): DirectoryWatcher =>
  fsWatch(directory, { persistent: false }, listener);

/**
 * Watches a file robustly: it watches the file's *directory*, not the file, because editors save by writing
 * a new file and renaming it over the old one (the old file's watch would go quiet), and Kubernetes updates a
 * mounted ConfigMap by swapping a symlink next to it. Any change in the directory, after `debounceMs` of
 * quiet, calls `onChange`, which rereads the file and ignores it if its text is unchanged. A poll on the
 * clock covers file systems without notifications (network mounts, some container mounts).
 */
export function watchFile(options: FileWatchOptions): { close(): void } {
  const { clock } = options;
  let debounce: Timer | undefined;
  let poll: Timer | undefined;
  let watcher: DirectoryWatcher | undefined;
  let closed = false;

  const changed = (): void => {
    if (closed) return;
    debounce?.cancel();
    debounce = clock.setTimer(options.debounceMs, () => {
      debounce = undefined;
      if (!closed) options.onChange();
    });
  };
  const armPoll = (): void => {
    if (closed || options.pollMs === Infinity) return;
    poll = clock.setTimer(options.pollMs, () => {
      armPoll();
      options.onChange();
    });
  };

  if (options.watch) {
    try {
      watcher = (options.watchDirectory ?? watchDirectory)(dirname(options.path), changed);
      watcher.on('error', (error) => {
        watcher?.close();
        watcher = undefined;
        options.onWatchError(error);
      });
    } catch (error) {
      options.onWatchError(error);
    }
  }
  armPoll();

  return {
    close(): void {
      closed = true;
      debounce?.cancel();
      poll?.cancel();
      watcher?.close();
    },
  };
}
