import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { elapsed, failed, ok } from '../result.js';
import { answers, canonicalExpectation, query, recordTypes, type Answer } from './answers.js';
import { describeDnsError, type DnsQuestion } from './dns-error.js';
import { parseResolverAddress, type ResolverAddress } from './resolver-address.js';

const DNS_NAME =
  /^(?=.{1,253}\.?$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

const schema = z
  .object({
    /** The name to query; for `PTR`, an IP address is looked up in reverse. */
    name: z
      .string()
      .trim()
      .refine((n) => DNS_NAME.test(n) || isIP(n) !== 0, {
        message: 'is not a domain name (e.g. example.com) or an IP address',
      }),
    type: z.enum(recordTypes).default('A'),
    /** `host[:port]` of the DNS server to ask, an IP address; default the system's. */
    resolver: z
      .string()
      .refine((r) => parseResolverAddress(r) !== undefined, {
        message:
          'must be an IP address with an optional port, e.g. 1.1.1.1, 127.0.0.1:5353 or [::1]:53 (not a name)',
      })
      .optional(),
    /** Answers that must all be present (`10 mail.example.com` or `mail.example.com` for MX). */
    expect: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((e) => (typeof e === 'string' ? [e] : e))
      .optional(),
    /** With `expect`: the answers must be exactly the expected set, nothing more. */
    exact: z.boolean().default(false),
    /** Fewest answers that pass. */
    minAnswers: z.int().min(1).max(1000).default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (isIP(c.name) !== 0 && c.type !== 'PTR')
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `is an IP address; only a PTR query takes one (set type: PTR)`,
      });
    if (c.exact && c.expect === undefined)
      ctx.addIssue({ code: 'custom', path: ['exact'], message: 'needs `expect`' });
  });

export type DnsCheckConfig = z.output<typeof schema>;

/** Longest answer list shown in a message or details. */
const MAX_LIST_CHARS = 200;

/** `dns`: resolves a name for one record type and checks the answers. */
export const dns = defineCheckKind({
  name: 'dns',
  description:
    'resolve a name (A, AAAA, CNAME, MX, TXT, NS, SRV, CAA, SOA, PTR) and check the answers',
  schema,
  create(config) {
    const address =
      config.resolver === undefined ? undefined : parseResolverAddress(config.resolver);
    const expected = config.expect?.map((e) => canonicalExpectation(config.type, e));
    return { run: (ctx) => runDns(config, address, expected, ctx) };
  },
});

async function runDns(
  config: DnsCheckConfig,
  address: ResolverAddress | undefined,
  expected: readonly string[] | undefined,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  // c-ares retries once on its own (a lost UDP packet); the abort cuts it short at the timeout anyway.
  const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(ctx.timeoutMs / 3)), tries: 2 });
  if (address !== undefined) resolver.setServers([address.server]);
  const q: DnsQuestion = {
    name: config.name,
    type: config.type,
    resolver: resolverLabel(resolver, address),
    timeoutMs: ctx.timeoutMs,
  };
  const cancel = (): void => resolver.cancel();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const found = await query(resolver, config.name, config.type);
    const latencyMs = elapsed(ctx, start);
    const extra = { value: found.length, phases: { dns: latencyMs }, details: details(q, found) };
    const problem = judge(config, expected, found);
    return problem === undefined
      ? ok(`${config.name} ${config.type}: ${list(found)}`, latencyMs, extra)
      : failed(problem, latencyMs, extra);
  } catch (error) {
    return failed(describeDnsError(error, q, ctx.signal.aborted), elapsed(ctx, start), {
      details: { type: config.type, resolver: q.resolver },
    });
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    resolver.cancel();
  }
}

function resolverLabel(resolver: Resolver, address: ResolverAddress | undefined): string {
  if (address !== undefined) return `resolver ${address.label}`;
  return `system resolver ${resolver.getServers()[0] ?? '(none configured)'}`;
}

/** Why the answers do not pass, or `undefined` when they do. */
function judge(
  config: DnsCheckConfig,
  expected: readonly string[] | undefined,
  found: readonly Answer[],
): string | undefined {
  if (found.length < config.minAnswers) {
    const n = `${found.length} ${config.type} answer${found.length === 1 ? '' : 's'}`;
    return `${config.name} has ${n}, expected at least ${config.minAnswers} [${list(found)}]`;
  }
  if (expected === undefined) return undefined;
  const missing = expected.filter((e) => !found.some((a) => answers(a, e)));
  if (missing.length > 0) return `expected ${missing.join(', ')} among [${list(found)}]`;
  if (!config.exact) return undefined;
  const extra = found.filter((a) => !expected.some((e) => answers(a, e)));
  if (extra.length === 0) return undefined;
  return `unexpected ${list(extra)} among [${list(found)}] (expected exactly ${expected.join(', ')})`;
}

function details(q: DnsQuestion, found: readonly Answer[]): Record<string, string | number> {
  return { type: q.type, resolver: q.resolver, answers: list(found) };
}

/** The answers as one line, each cut to 100 characters and the whole to {@link MAX_LIST_CHARS}. */
function list(found: readonly Answer[]): string {
  let text = '';
  for (const [i, a] of found.entries()) {
    const item = a.text.length > 100 ? `${a.text.slice(0, 99)}…` : a.text;
    const next = text === '' ? item : `${text}, ${item}`;
    if (next.length > MAX_LIST_CHARS) return `${text}, … (${found.length - i} more)`;
    text = next;
  }
  return text;
}
