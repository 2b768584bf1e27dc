import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { abortable } from '@vigil/resilience';
import type { CheckContext, CheckDeps, CheckResult, Phase } from '../check-kind.js';
import { elapsed, failed, ok } from '../result.js';
import { CaFileError } from './ca-file-error.js';
import type { ServerFacts, SqlConnection, SqlDriver, SqlTls, Stage } from './driver.js';
import { judge } from './expectation.js';
import { describeSqlError, redact } from './messages.js';
import { sqlEndpoint, type SqlCheckConfig, type SqlEndpoint } from './options.js';
import { guardWire, type WireState } from './wire-guard.js';

/** A SQL check configured for one monitor: its driver, config and endpoint. */
export interface SqlCheckPlan {
  readonly driver: SqlDriver;
  readonly config: SqlCheckConfig;
  readonly endpoint: SqlEndpoint;
  readonly deps: CheckDeps;
}

/** Builds the plan of a validated config. */
export function planSqlCheck(
  driver: SqlDriver,
  config: SqlCheckConfig,
  deps: CheckDeps,
  defaultPort: number,
): SqlCheckPlan {
  return { driver, config, deps, endpoint: sqlEndpoint(config, defaultPort) };
}

/**
 * How much longer than the check the server is given before it stops the query itself: the check's
 * own timeout should win (one message for one condition), the server's limit only cleans up after it.
 */
const SERVER_LIMIT_GRACE_MS = 100;

interface RunState {
  stage: Stage;
  wire: WireState | undefined;
  /** The session was opened: it gets a goodbye rather than a cut. */
  connected: boolean;
  readonly phases: Partial<Record<Phase, number>>;
}

/**
 * Runs a SQL check once on a fresh connection: connect, run the query, judge its first value, and close
 * the connection on every path (with the protocol's goodbye once connected, cut at once on abort).
 * Resolves only when its socket is closed.
 */
export async function runSqlCheck(plan: SqlCheckPlan, ctx: CheckContext): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const state: RunState = { stage: 'connect', wire: undefined, connected: false, phases: {} };
  const fail = (error: unknown): CheckResult => failure(error, plan, ctx, state, start);
  if (ctx.signal.aborted) return fail(ctx.signal.reason);
  let tls: SqlTls | undefined;
  try {
    tls = await tlsSettings(plan.config, plan.deps, ctx.signal);
  } catch (error) {
    return fail(error);
  }
  const socket = new Socket();
  const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  state.wire = guardWire(socket, target(plan), {
    protocol: plan.driver.protocol,
    ...plan.driver.wire(tls !== undefined),
  });
  let connection: SqlConnection | undefined;
  const cut = (): void => {
    if (connection === undefined) socket.destroy();
    else connection.destroy();
  };
  ctx.signal.addEventListener('abort', cut, { once: true });
  try {
    connection = plan.driver.open({ endpoint: plan.endpoint, tls, socket });
    return await session(plan, connection, state, ctx, start);
  } catch (error) {
    return fail(error);
  } finally {
    if (connection !== undefined && state.connected) await goodbye(connection, ctx.signal);
    cut();
    await gone;
    ctx.signal.removeEventListener('abort', cut);
  }
}

/** `host:port`, with an IPv6 address in brackets: `[::1]:5432`. */
const target = ({ endpoint }: SqlCheckPlan): string =>
  `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;

/** A failed result for `error`, worded for where the run was, with the password masked. */
function failure(
  error: unknown,
  plan: SqlCheckPlan,
  ctx: CheckContext,
  state: RunState,
  start: number,
): CheckResult {
  const message = describeSqlError({
    error,
    target: target(plan),
    ctx,
    driver: plan.driver,
    ...state,
  });
  const phases = Object.keys(state.phases).length === 0 ? {} : { phases: state.phases };
  return failed(redact(message, plan.endpoint.password), elapsed(ctx, start), phases);
}

/** Connects, runs the query and judges its first value; throws what the driver throws. */
async function session(
  plan: SqlCheckPlan,
  connection: SqlConnection,
  state: RunState,
  ctx: CheckContext,
  start: number,
): Promise<CheckResult> {
  const facts = await abortable(connection.connect(), ctx.signal);
  state.connected = true;
  const connected = elapsed(ctx, start);
  state.phases.connect = connected;
  state.stage = 'query';
  const limitMs = Math.max(0, Math.ceil(ctx.timeoutMs - connected)) + SERVER_LIMIT_GRACE_MS;
  const first = await abortable(connection.firstValue(plan.config.query, limitMs), ctx.signal);
  const total = elapsed(ctx, start);
  state.phases.query = Math.round((total - connected) * 100) / 100;
  state.phases.total = total;
  const verdict = judge(first, plan.config);
  const extra = { phases: state.phases, details: details(facts), ...pick(verdict.value) };
  return (verdict.pass ? ok : failed)(verdict.message, total, extra);
}

/** The protocol's goodbye, bounded by the signal; a failed goodbye changes nothing (the cut follows). */
async function goodbye(connection: SqlConnection, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await abortable(connection.end(), signal);
  } catch {
    // The connection is cut right after, whatever happened here.
  }
}

/** TLS settings for the config's `ssl` mode, reading the CA file (relative to the config) when set. */
async function tlsSettings(
  config: SqlCheckConfig,
  deps: CheckDeps,
  signal: AbortSignal,
): Promise<SqlTls | undefined> {
  if (config.ssl === 'off') return undefined;
  if (config.ssl === 'require') return { verify: false };
  if (config.ca === undefined) return { verify: true };
  const path = resolve(deps.configDir, config.ca);
  try {
    return { verify: true, ca: await readFile(path, { encoding: 'utf8', signal }) };
  } catch (error) {
    if (signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaFileError(`cannot read the CA file ${path} (${code})`);
  }
}

function details(facts: ServerFacts): Record<string, string> {
  return {
    ...(facts.version === undefined ? {} : { version: facts.version }),
    ...(facts.tls === undefined ? {} : { tls: facts.tls }),
  };
}

const pick = (value: number | undefined): { value?: number } =>
  value === undefined ? {} : { value };
