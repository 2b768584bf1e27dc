import { readFile } from 'node:fs/promises';
import type { JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk';
import { systemClock, type Clock } from '../../clock/index.js';
import { FlagFileError } from '../../errors/index.js';
import {
  CONFIGURATION_CHANGED,
  FLAG_NOT_FOUND,
  GENERAL,
  PROVIDER_ERROR,
  PROVIDER_READY,
  PROVIDER_STALE,
  TYPE_MISMATCH,
  reasons,
} from '../openfeature.js';
import { ProviderEventHub } from '../provider-events.js';
import { watchFile } from './file-watcher.js';
import { changedFlags, readFlagFile, type FileFlags } from './flag-file.js';
import { normalizeFileOptions, type FileFlagProviderOptions } from './options.js';

type State = 'not-loaded' | 'ok' | 'stale' | 'error';
type ValueType = 'boolean' | 'string' | 'number' | 'object';

/**
 * An OpenFeature provider serving the flags of a JSON file — or YAML or any other format, given a `parse`
 * function — and following its changes: each valid change emits `PROVIDER_CONFIGURATION_CHANGED` listing
 * the flags that changed. A file that cannot be read or is invalid never takes flags away: the last valid
 * flags stay in force (the provider reports `PROVIDER_STALE` and the error) until the file is fixed; with
 * none ever loaded, evaluations get the caller's default and the provider is in error.
 */
export class FileFlagProvider implements Provider {
  readonly metadata = { name: 'vigil-file' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new ProviderEventHub();
  /** The file, as given. */
  readonly path: string;
  readonly #options: ReturnType<typeof normalizeFileOptions>;
  readonly #clock: Clock;
  #flags: FileFlags | undefined;
  #text: string | undefined;
  #state: State = 'not-loaded';
  #lastError: FlagFileError | undefined;
  #watcher: { close(): void } | undefined;
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #initializing = false;

  constructor(options: FileFlagProviderOptions) {
    this.#options = normalizeFileOptions(options);
    this.path = this.#options.path;
    this.#clock = options.clock ?? systemClock;
  }

  /** The error of the last failed load, until a load succeeds. */
  get lastError(): FlagFileError | undefined {
    return this.#lastError;
  }

  /** Loads the file and starts watching it; rejects when it cannot be loaded (it keeps watching). */
  async initialize(): Promise<void> {
    this.#watcher ??= watchFile({
      path: this.path,
      clock: this.#clock,
      watch: this.#options.watch,
      debounceMs: this.#options.debounceMs,
      pollMs: this.#options.pollMs,
      onChange: () => void this.reload(),
      onWatchError: (error) =>
        this.#options.onError?.(
          new FlagFileError(this.path, 'change notifications failed; polling only', {
            cause: error,
          }),
        ),
    });
    this.#initializing = true;
    try {
      await this.reload();
    } finally {
      this.#initializing = false;
    }
    if (this.#state === 'error' && this.#lastError !== undefined) throw this.#lastError;
  }

  /** Stops watching (OpenFeature calls it on `OpenFeature.close()` or when the provider is replaced). */
  onClose(): Promise<void> {
    this.#watcher?.close();
    this.#watcher = undefined;
    return Promise.resolve();
  }

  /** Stops watching; the same as `onClose()`. */
  close(): Promise<void> {
    return this.onClose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.onClose();
  }

  /**
   * Reads the file again now (it is also reread on change and every `pollMs`). Never rejects: a failure is
   * reported to `onError`, kept in `lastError` and announced as `PROVIDER_STALE` (or `PROVIDER_ERROR` while
   * no valid file was ever loaded). Reloads never overlap; calls during one share the next.
   */
  reload(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#current !== undefined) {
      this.#queued = this.#current.then(() => {
        this.#queued = undefined;
        return this.#startReload();
      });
      return this.#queued;
    }
    return this.#startReload();
  }

  #startReload(): Promise<void> {
    const loading = this.#load().finally(() => {
      if (this.#current === loading) this.#current = undefined;
    });
    this.#current = loading;
    return loading;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.#failed(
        new FlagFileError(this.path, `cannot be read (${code})${this.#consequence()}`, {
          cause: error,
        }),
      );
      return;
    }
    if (text === this.#text) {
      this.#recovered([]);
      return;
    }
    let flags: FileFlags;
    try {
      flags = readFlagFile(this.#options.parse(text));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#failed(
        new FlagFileError(this.path, `is invalid: ${detail}${this.#consequence()}`, {
          cause: error,
        }),
      );
      return;
    }
    const changed = changedFlags(this.#flags, flags);
    this.#flags = flags;
    this.#text = text;
    this.#recovered(changed);
  }

  #consequence(): string {
    return this.#flags === undefined
      ? '; flags evaluate to their defaults until the file is fixed'
      : '; the last valid flags stay in force until the file is fixed';
  }

  #failed(error: FlagFileError): void {
    // The same failure again (a poll rereading the same bad file) is not news.
    if (error.message === this.#lastError?.message) return;
    this.#lastError = error;
    this.#options.onError?.(error);
    if (this.#initializing) {
      this.#state = this.#flags === undefined ? 'error' : 'stale';
      return; // the SDK learns of it from initialize()
    }
    if (this.#flags === undefined) {
      this.#state = 'error';
      this.events.emit(PROVIDER_ERROR, { message: error.message });
    } else {
      this.#state = 'stale';
      this.events.emit(PROVIDER_STALE, { message: error.message });
    }
  }

  #recovered(changed: string[]): void {
    const was = this.#state;
    this.#state = 'ok';
    this.#lastError = undefined;
    if (this.#initializing) return;
    if (was === 'error' || was === 'stale') this.events.emit(PROVIDER_READY, {});
    if (changed.length > 0) this.events.emit(CONFIGURATION_CHANGED, { flagsChanged: changed });
  }

  resolveBooleanEvaluation(
    flag: string,
    defaultValue: boolean,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#resolve(flag, defaultValue, 'boolean'));
  }

  resolveStringEvaluation(flag: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.#resolve(flag, defaultValue, 'string'));
  }

  resolveNumberEvaluation(flag: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#resolve(flag, defaultValue, 'number'));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flag: string,
    defaultValue: T,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#resolve(flag, defaultValue, 'object'));
  }

  #resolve<T extends JsonValue>(
    flag: string,
    defaultValue: T,
    type: ValueType,
  ): ResolutionDetails<T> {
    const flags = this.#flags;
    if (flags === undefined) {
      const message = this.#lastError?.message ?? `flag file ${this.path} is not loaded yet`;
      return {
        value: defaultValue,
        reason: reasons.ERROR,
        errorCode: GENERAL,
        errorMessage: message,
      };
    }
    const found = flags.get(flag);
    if (found === undefined) {
      const errorMessage = `flag "${flag}" is not in ${this.path}`;
      return {
        value: defaultValue,
        reason: reasons.ERROR,
        errorCode: FLAG_NOT_FOUND,
        errorMessage,
      };
    }
    if (found.disabled) return { value: defaultValue, reason: reasons.DISABLED };
    const actual = found.value === null ? 'null' : typeof found.value;
    if (actual !== type) {
      const errorMessage = `flag "${flag}" is a ${actual}, not a ${type}`;
      return { value: defaultValue, reason: reasons.ERROR, errorCode: TYPE_MISMATCH, errorMessage };
    }
    const details: ResolutionDetails<T> = { value: found.value as T, reason: reasons.STATIC };
    if (found.variant !== undefined) details.variant = found.variant;
    return details;
  }
}

/** Creates a {@link FileFlagProvider}; throws `TypeError`/`RangeError` naming any bad option. */
export function createFileFlagProvider(options: FileFlagProviderOptions): FileFlagProvider {
  return new FileFlagProvider(options);
}
