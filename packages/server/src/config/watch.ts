import type { Clock, Timer } from '@vigil/resilience';

/** The file-system calls the watcher needs, injected by the composition root. */
export interface WatchFs {
  /** Calls `onEvent` when something in `dir` changes; returns a function that stops watching. */
  watchDir(dir: string, onEvent: (fileName: string | null) => void): () => void;
}

/** Options of {@link watchConfigFile}. */
export interface WatchConfigOptions {
  readonly dir: string;
  readonly fileName: string;
  readonly fs: WatchFs;
  readonly clock: Clock;
  /** Waits this long after the last event before reloading (editors write in several steps). Default 200 ms. */
  readonly debounceMs?: number;
  /** Called after the file settles; the caller reloads, validates and applies it. */
  readonly onChange: () => void;
}

/**
 * Watches a config file for changes. It watches the directory, not the file, because editors often save
 * by writing a new file and renaming it over the old one, which ends a watch on the file itself.
 */
export function watchConfigFile(options: WatchConfigOptions): () => void {
  const debounceMs = options.debounceMs ?? 200;
  let timer: Timer | undefined;
  const stop = options.fs.watchDir(options.dir, (fileName) => {
    if (fileName !== null && fileName !== options.fileName) return;
    timer?.cancel();
    timer = options.clock.setTimer(debounceMs, () => {
      timer = undefined;
      options.onChange();
    });
  });
  return () => {
    timer?.cancel();
    stop();
  };
}
