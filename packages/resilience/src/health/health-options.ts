import { BackoffPolicy, constant, policy } from '../backoff/index.js';
import { systemClock, systemRandom, type Clock, type Random } from '../clock/index.js';
import {
  afterFailureModes,
  healthCallbackNames,
  type AfterFailure,
  type HealthCallback,
  type HealthCallbackName,
  type HealthCheckerOptions,
  type PingOptions,
  type ProbeHealthOptions,
  type SessionHealthOptions,
  type TcpHealthOptions,
} from './health-types.js';
import { probeTarget } from './probe-target.js';
import { sessionTarget } from './session-target.js';
import type { Target } from './target.js';
import { tcpTarget, type TcpPing } from './tcp-target.js';

/** Options of a checker with defaults applied and every value checked. */
export interface NormalizedHealthOptions {
  readonly id: string;
  readonly target: Target;
  readonly retry: BackoffPolicy;
  readonly maxRetries: number;
  readonly afterFailure: AfterFailure;
  readonly callbacks: Readonly<Partial<Record<HealthCallbackName, HealthCallback>>>;
  readonly clock: Clock;
  readonly random: Random;
}

export const DEFAULT_RETRY_MS = 1000;
export const DEFAULT_MAX_RETRIES = 10;

type Raw = Record<string, unknown>;

/** Validates `options`, throwing `TypeError`/`RangeError` that names the bad option. */
export function normalizeHealthOptions(options: HealthCheckerOptions): NormalizedHealthOptions {
  const raw = options as unknown as Raw | null | undefined;
  if (typeof raw !== 'object' || raw === null) {
    throw new TypeError(
      'HealthChecker: options must be an object with port (TCP), session or probe',
    );
  }
  const named = typeof raw.id === 'string' ? ` "${raw.id}"` : '';
  const where = `HealthChecker${named}`;
  if (raw.id !== undefined && (typeof raw.id !== 'string' || raw.id === '')) {
    throw new TypeError(`${where}: id must be a non-empty string, got ${JSON.stringify(raw.id)}`);
  }
  const clock = (raw.clock as Clock | undefined) ?? systemClock;
  const random = (raw.random as Random | undefined) ?? systemRandom;
  const modes = ['port', 'session', 'probe'].filter((name) => raw[name] !== undefined);
  if (modes.length > 1) {
    throw new TypeError(
      `${where}: pass one of port (TCP), session or probe (polling), not ${modes.join(' and ')}`,
    );
  }
  const target =
    raw.probe !== undefined
      ? probeOf(where, options as ProbeHealthOptions, clock)
      : raw.session !== undefined
        ? sessionOf(where, options as SessionHealthOptions, clock)
        : tcpOf(where, options as TcpHealthOptions, clock);
  const retry = policyOf(where, raw.retry);
  const maxRetries = raw.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!(maxRetries === Infinity || (Number.isInteger(maxRetries) && (maxRetries as number) >= 0))) {
    throw new RangeError(
      `${where}: maxRetries must be an integer >= 0 or Infinity, got ${show(maxRetries)}`,
    );
  }
  const afterFailure = raw.afterFailure ?? 'stop';
  if (!(afterFailureModes as readonly unknown[]).includes(afterFailure)) {
    throw new RangeError(
      `${where}: afterFailure must be one of ${afterFailureModes.join(', ')}, got ${JSON.stringify(afterFailure)}`,
    );
  }
  const callbacks: Partial<Record<HealthCallbackName, HealthCallback>> = {};
  for (const name of healthCallbackNames) {
    const fn = raw[name];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') {
      throw new TypeError(`${where}: ${name} must be a function, got ${typeof fn}`);
    }
    callbacks[name] = fn as HealthCallback;
  }
  return {
    id: raw.id ?? `health:${target.description}`,
    target,
    retry,
    maxRetries: maxRetries as number,
    afterFailure: afterFailure as AfterFailure,
    callbacks,
    clock,
    random,
  };
}

function tcpOf(where: string, options: TcpHealthOptions, clock: Clock): Target {
  const raw = options as unknown as Raw;
  if (raw.port === undefined) {
    throw new TypeError(
      `${where}: port is required — the TCP port to watch (e.g. 5432) — or pass session or probe`,
    );
  }
  const port = raw.port;
  if (!(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
    throw new RangeError(`${where}: port must be an integer in 1..65535, got ${show(port)}`);
  }
  const host = raw.host ?? 'localhost';
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`${where}: host must be a non-empty string, got ${JSON.stringify(host)}`);
  }
  const keepAliveMs =
    raw.keepAliveMs === false ? false : ms(where, 'keepAliveMs', raw.keepAliveMs ?? 10_000, 0);
  return tcpTarget({
    host,
    port: port as number,
    connectTimeoutMs: ms(where, 'connectTimeoutMs', raw.connectTimeoutMs ?? 5000),
    keepAliveMs,
    ping: raw.ping === undefined ? undefined : pingOf(where, raw.ping),
    clock,
  });
}

function pingOf(where: string, ping: unknown): TcpPing {
  if (typeof ping !== 'object' || ping === null) {
    throw new TypeError(`${where}: ping must be an object { request, isReply, intervalMs? }`);
  }
  const raw = ping as Raw;
  const { request, isReply } = raw;
  if (!(typeof request === 'string' || request instanceof Uint8Array) || request.length === 0) {
    throw new TypeError(`${where}: ping.request must be a non-empty string or Uint8Array`);
  }
  if (typeof isReply !== 'function') {
    throw new TypeError(`${where}: ping.isReply must be a function (received) => boolean`);
  }
  return {
    request,
    isReply: isReply as PingOptions['isReply'],
    intervalMs: ms(where, 'ping.intervalMs', raw.intervalMs ?? 1000),
    timeoutMs: ms(where, 'ping.timeoutMs', raw.timeoutMs ?? 1000),
  };
}

function sessionOf(where: string, options: SessionHealthOptions, clock: Clock): Target {
  const raw = options as unknown as Raw;
  if (typeof raw.session !== 'function') {
    throw new TypeError(
      `${where}: session must be a function opening a session, got ${typeof raw.session}`,
    );
  }
  return sessionTarget({
    name: nameOf(where, raw.name, 'session'),
    open: options.session,
    connectTimeoutMs: ms(where, 'connectTimeoutMs', raw.connectTimeoutMs ?? 5000),
    clock,
  });
}

function nameOf(where: string, name: unknown, fallback: string): string {
  const value = name ?? fallback;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${where}: name must be a non-empty string`);
  }
  return value;
}

function probeOf(where: string, options: ProbeHealthOptions, clock: Clock): Target {
  const raw = options as unknown as Raw;
  if (typeof raw.probe !== 'function') {
    throw new TypeError(`${where}: probe must be a function, got ${typeof raw.probe}`);
  }
  return probeTarget({
    name: nameOf(where, raw.name, 'probe'),
    probe: options.probe,
    intervalMs: ms(where, 'intervalMs', raw.intervalMs ?? 5000),
    timeoutMs: ms(where, 'timeoutMs', raw.timeoutMs ?? 5000),
    clock,
  });
}

/** Checks a duration: a finite number of ms > `min` (default: > 0). */
function ms(where: string, option: string, value: unknown, min?: number): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined ? value > 0 : value >= min);
  if (!ok) {
    throw new RangeError(
      `${where}: ${option} must be a finite number of ms ${min === undefined ? '> 0' : `>= ${min}`}, got ${String(value)}`,
    );
  }
  return value;
}

/** The retry policy: any object with `next(attempt, ctx)` works (a policy from another copy of the toolkit). */
function policyOf(where: string, value: unknown): BackoffPolicy {
  if (value === undefined) return constant(DEFAULT_RETRY_MS);
  if (value instanceof BackoffPolicy) return value;
  const next = (value as Raw | null)?.next;
  if (typeof next !== 'function') {
    throw new TypeError(
      `${where}: retry must be a backoff policy (constant(1000), exponential({...}), …)`,
    );
  }
  const foreign = value as BackoffPolicy;
  return policy((attempt, ctx) => foreign.next(attempt, ctx), foreign.description);
}

/** A value for an error message. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
