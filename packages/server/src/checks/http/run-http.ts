import type { SecureContext } from 'node:tls';
import type { CheckContext, CheckDeps, CheckResult } from '../check-kind.js';
import { elapsed, failed } from '../result.js';
import { loadTrust, type SecureContextCache } from '../tls/index.js';
import { readBody, type ReadBody } from './body.js';
import { decodeContent } from './content-encoding.js';
import { exchange, type FinalResponse } from './exchange.js';
import { KeptConnections, type HttpDispatcher } from './kept-connections.js';
import { describeHttpError } from './http-error.js';
import { judge, soonestExpiry } from './judge.js';
import type { PreparedHttp } from './prepare.js';
import { RunTrace } from './trace.js';
import { displayUrl } from './url.js';

/**
 * Runs an http check once: through the check's kept clients (see `KeptConnections`), or through
 * clients of its own when another run of the check is still in progress.
 * Then the request with redirects, the body up to the cap, and the assertions.
 */
export async function runHttp(
  prepared: PreparedHttp,
  deps: CheckDeps,
  contexts: SecureContextCache,
  kept: KeptConnections,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const { tls } = prepared.config;
  // A TLS context costs ~17 KB and ~1 ms to build: none for a plain http URL with Node's roots (a
  // redirect to https then gets Node's default context for that connection).
  let secureContext: SecureContext | undefined;
  try {
    if (prepared.url.protocol === 'https:' || tls.ca !== undefined)
      secureContext = await loadTrust(tls.ca, deps.configDir, contexts);
  } catch (error) {
    return failed((error as Error).message, elapsed(ctx, start));
  }
  const trace = new RunTrace(ctx.clock, (target) => kept.certificate(target));
  const connector = {
    trace,
    clock: ctx.clock,
    signal: ctx.signal,
    tls: {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(secureContext === undefined ? {} : { secureContext }),
    },
    servernameHost: prepared.url.hostname,
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
  };
  const agent = kept.acquire(connector);
  if (agent !== undefined) {
    try {
      return await attempt(prepared, agent, trace, ctx, start);
    } finally {
      kept.release();
    }
  }
  // Another run of this check is still in progress (one abandoned past its timeout): this one gets
  // connections of its own, closed when it ends.
  const own = new KeptConnections(prepared.config.keepAlive);
  try {
    return await attempt(prepared, own.acquire(connector) as HttpDispatcher, trace, ctx, start);
  } finally {
    own.release();
    await own.close();
  }
}

async function attempt(
  prepared: PreparedHttp,
  agent: HttpDispatcher,
  trace: RunTrace,
  ctx: CheckContext,
  start: number,
): Promise<CheckResult> {
  let response: FinalResponse | undefined;
  const extra = (total: number, redirects: number) => ({
    phases: trace.phases(total),
    details: details(trace, response, redirects),
  });
  try {
    const result = await exchange(prepared, agent, trace, ctx.signal);
    if (result.kind === 'failure') {
      const total = elapsed(ctx, start);
      return failed(result.message, total, extra(total, result.redirects));
    }
    response = result.response;
    const body = await readFinalBody(prepared, response, trace);
    const total = elapsed(ctx, start);
    return judge(prepared, {
      response,
      body,
      certificates: trace.certificates,
      total,
      now: ctx.clock.now(),
      extra: extra(total, response.redirects),
    });
  } catch (error) {
    const total = elapsed(ctx, start);
    return failed(
      describeHttpError(error, trace, ctx),
      total,
      extra(total, response?.redirects ?? 0),
    );
  }
}

/** The body up to the cap, decompressed when an assertion will read it. */
async function readFinalBody(
  prepared: PreparedHttp,
  response: FinalResponse,
  trace: RunTrace,
): Promise<ReadBody> {
  const cap = prepared.config.maxBodyBytes;
  const raw = await readBody(response, cap, trace);
  return prepared.readsBody && !raw.truncated
    ? decodeContent(raw, response.headers['content-encoding'], cap)
    : raw;
}

type Details = Record<string, string | number | boolean | null>;

function details(trace: RunTrace, response: FinalResponse | undefined, redirects: number): Details {
  const out: Details = {};
  if (response !== undefined) {
    out.status = response.status;
    out.url = displayUrl(response.url);
    out.bodyBytes = trace.bodyBytes;
  } else if (trace.url !== '') out.url = trace.url;
  if (redirects > 0) out.redirects = redirects;
  const cert = soonestExpiry(trace.certificates);
  if (cert !== undefined) {
    out.certificateExpires = new Date(cert.validTo).toISOString();
    out.certificateDaysLeft = cert.daysLeft;
  }
  return out;
}
