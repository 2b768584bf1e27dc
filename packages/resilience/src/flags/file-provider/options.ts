import type { Clock } from '../../clock/index.js';
import type { FlagFileError } from '../../errors/index.js';

/** Options of {@link createFileFlagProvider}. */
export interface FileFlagProviderOptions {
  /** The flag file. */
  readonly path: string;
  /**
   * Turns the file's text into data. Default `JSON.parse`. The toolkit has no runtime dependencies, so for
   * YAML pass a YAML parser — e.g. `parse` from the `yaml` package; a `.yaml`/`.yml` path requires one.
   */
  readonly parse?: (text: string) => unknown;
  /** Follow the operating system's change notifications. Default true. */
  readonly watch?: boolean;
  /** Quiet time after a change notification before rereading, in ms. Default 100. */
  readonly debounceMs?: number;
  /** Reread this often too, in ms, for file systems without notifications. Default 5,000; `Infinity`: never. */
  readonly pollMs?: number;
  readonly clock?: Clock;
  /** Told of every new failure to read, parse or validate the file, and of failed notifications. */
  readonly onError?: (error: FlagFileError) => void;
}

/** Validated options with defaults applied. */
export interface NormalizedFileOptions {
  readonly path: string;
  readonly parse: (text: string) => unknown;
  readonly watch: boolean;
  readonly debounceMs: number;
  readonly pollMs: number;
  readonly onError: ((error: FlagFileError) => void) | undefined;
}

const where = 'FileFlagProvider';

/** Validates the options; throws `TypeError`/`RangeError` naming the option. */
export function normalizeFileOptions(options: FileFlagProviderOptions): NormalizedFileOptions {
  const raw = options as Partial<FileFlagProviderOptions> | undefined;
  if (typeof raw !== 'object')
    throw new TypeError(`${where}: options must be an object with a path`);
  const path = raw.path;
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `${where}: path must be a non-empty file path, got ${JSON.stringify(path)}`,
    );
  }
  const parse = raw.parse;
  if (parse !== undefined && typeof parse !== 'function') {
    throw new TypeError(`${where}: parse must be a function (text) => data`);
  }
  if (parse === undefined && /\.ya?ml$/i.test(path)) {
    throw new TypeError(
      `${where}: ${path} is YAML but no parse was given; pass parse (e.g. parse from the "yaml" package) — the toolkit reads JSON only`,
    );
  }
  const watch = raw.watch ?? true;
  if (typeof watch !== 'boolean') throw new TypeError(`${where}: watch must be a boolean`);
  const debounceMs = raw.debounceMs ?? 100;
  if (typeof debounceMs !== 'number' || !(debounceMs >= 0) || debounceMs === Infinity) {
    throw new RangeError(
      `${where}: debounceMs must be a number of ms >= 0, got ${String(raw.debounceMs)}`,
    );
  }
  const pollMs = raw.pollMs ?? 5000;
  if (typeof pollMs !== 'number' || !(pollMs > 0)) {
    throw new RangeError(
      `${where}: pollMs must be a number of ms > 0 or Infinity, got ${String(raw.pollMs)}`,
    );
  }
  if (raw.onError !== undefined && typeof raw.onError !== 'function') {
    throw new TypeError(`${where}: onError must be a function`);
  }
  return {
    path,
    parse: parse ?? ((text) => JSON.parse(text) as unknown),
    watch,
    debounceMs,
    pollMs,
    onError: raw.onError,
  };
}
