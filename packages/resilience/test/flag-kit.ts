// Test helpers for the flag supervisor: isolated OpenFeature clients (one domain per test, never the default
// provider), a provider without events whose answers a test controls, and tasks a test can crash and watch.
import {
  TypedInMemoryProvider,
  OpenFeature,
  OpenFeatureEventEmitter,
  ProviderEvents,
  type Client,
  type EvaluationContext,
  type InMemoryFlagConfiguration,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import type { Task, TaskContext } from '../src/index.js';

let domains = 0;

/** A domain no other test uses, so providers never leak between tests. */
export function freshDomain(): string {
  return `vigil-test-${++domains}`;
}

/** An in-memory provider configuration of boolean flags. */
export function boolFlags(values: Record<string, boolean>): InMemoryFlagConfiguration {
  const config: Record<
    string,
    { variants: { on: boolean; off: boolean }; defaultVariant: string; disabled: boolean }
  > = {};
  for (const [key, on] of Object.entries(values)) {
    config[key] = {
      variants: { on: true, off: false },
      defaultVariant: on ? 'on' : 'off',
      disabled: false,
    };
  }
  return config;
}

/** The OpenFeature in-memory provider (`TypedInMemoryProvider`) bound to a fresh domain, ready. */
export async function inMemory(values: Record<string, boolean>): Promise<{
  provider: TypedInMemoryProvider;
  client: Client;
  /** Replaces every flag (emits ConfigurationChanged, as the provider does). */
  set: (next: Record<string, boolean>) => void;
}> {
  const domain = freshDomain();
  const provider = new TypedInMemoryProvider(boolFlags(values));
  await OpenFeature.setProviderAndWait(domain, provider);
  return {
    provider,
    client: OpenFeature.getClient(domain),
    set: (next) => {
      provider.putConfiguration(boolFlags(next));
    },
  };
}

type Resolver = (
  flag: string,
  context: EvaluationContext,
) => ResolutionDetails<boolean> | Promise<ResolutionDetails<boolean>>;

/**
 * A provider whose answers come from `values`, or from `resolve` when a test sets it (to throw, hang or
 * answer out of order). Without `withEvents` it emits nothing, so only polling sees its changes. Counts
 * evaluations.
 */
export class ScriptedProvider implements Provider {
  readonly metadata = { name: 'scripted' } as const;
  readonly runsOn = 'server' as const;
  readonly events?: OpenFeatureEventEmitter;
  values = new Map<string, boolean>();
  resolve: Resolver | undefined;
  calls = 0;
  /** Resolves once `open()` is called; until then `initialize` does not return (provider NOT_READY). */
  readonly #gate: { promise: Promise<void>; open: () => void };

  constructor(
    values: Record<string, boolean> = {},
    { ready = true, withEvents = false }: { ready?: boolean; withEvents?: boolean } = {},
  ) {
    if (withEvents) this.events = new OpenFeatureEventEmitter();
    for (const [key, value] of Object.entries(values)) this.values.set(key, value);
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.#gate = { promise, open };
    if (ready) open();
  }

  initialize(): Promise<void> {
    return this.#gate.promise;
  }

  open(): void {
    this.#gate.open();
  }

  /** Emits ConfigurationChanged (needs `withEvents`). */
  changed(flagsChanged?: string[]): void {
    this.events?.emit(ProviderEvents.ConfigurationChanged, flagsChanged ? { flagsChanged } : {});
  }

  resolveBooleanEvaluation(
    flag: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    this.calls++;
    if (this.resolve !== undefined) return Promise.resolve(this.resolve(flag, context));
    const value = this.values.get(flag);
    if (value === undefined) {
      return Promise.resolve({
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'FLAG_NOT_FOUND' as never,
      });
    }
    return Promise.resolve({ value, reason: 'STATIC' });
  }

  resolveStringEvaluation(): Promise<ResolutionDetails<string>> {
    return Promise.reject(new Error('not used'));
  }

  resolveNumberEvaluation(): Promise<ResolutionDetails<number>> {
    return Promise.reject(new Error('not used'));
  }

  resolveObjectEvaluation<T>(): Promise<ResolutionDetails<T>> {
    return Promise.reject(new Error('not used'));
  }
}

/**
 * Binds `provider` to a fresh domain and returns the domain's client, once the provider is ready (its
 * initialisation settled) unless `wait` is false.
 */
export async function clientFor(provider: Provider, { wait = true } = {}): Promise<Client> {
  const domain = freshDomain();
  if (wait) await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
  else OpenFeature.setProvider(domain, provider);
  return OpenFeature.getClient(domain);
}

/** A task a test drives: counts its runs and concurrent instances, can be crashed or told to return. */
export interface Probe {
  readonly task: Task;
  /** Times `run` was called. */
  readonly runs: number;
  /** Instances running now (never more than 1 under a correct supervisor). */
  readonly live: number;
  /** The most instances ever running at once. */
  readonly maxLive: number;
  /** Makes the running instance throw. */
  crash(error?: Error): void;
  /** Makes the running instance return. */
  finish(): void;
}

/**
 * A long-running task. With `stopAfterMs`, it ignores its stop request and ends that many ms later on the
 * task's clock (a slow shutdown).
 */
export function probe(options: { stopAfterMs?: number; waitsForReady?: boolean } = {}): Probe {
  let runs = 0;
  let live = 0;
  let maxLive = 0;
  let current: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const task: Task = {
    ...(options.waitsForReady === true ? { waitsForReady: true } : {}),
    run: (ctx: TaskContext) => {
      runs++;
      live++;
      maxLive = Math.max(maxLive, live);
      return new Promise<void>((resolve, reject) => {
        const self = { resolve, reject };
        current = self;
        ctx.onStop(() => {
          if (options.stopAfterMs === undefined) resolve();
          else ctx.clock.setTimer(options.stopAfterMs, resolve);
        });
      }).finally(() => {
        live--;
      });
    },
  };
  return {
    task,
    get runs() {
      return runs;
    },
    get live() {
      return live;
    },
    get maxLive() {
      return maxLive;
    },
    crash: (error = new Error('boom')) => current?.reject(error),
    finish: () => current?.resolve(),
  };
}

/** A promise a test settles by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
