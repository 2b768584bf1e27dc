import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { z } from 'zod';
import { defineCheckKind, type CheckContext, type CheckResult } from '../check-kind.js';
import { describeError, elapsed, failed, ok } from '../result.js';

const schema = z
  .object({
    host: z.string().min(1),
    port: z.int().min(1).max(65535),
    /** Bytes to send once connected (escape sequences such as \r\n are taken literally from YAML). */
    send: z.string().optional(),
    /** Pass when the reply contains this text. */
    expect: z.string().min(1).optional(),
    /** Pass when the reply matches this regular expression. */
    expectPattern: z
      .string()
      .min(1)
      .refine((p) => isRegExp(p), { message: 'is not a valid regular expression' })
      .optional(),
    /** Connect with TLS. */
    tls: z
      .union([
        z.boolean(),
        z
          .object({
            servername: z.string().optional(),
            rejectUnauthorized: z.boolean().default(true),
          })
          .strict(),
      ])
      .default(false),
    /** Stop reading the reply after this many bytes. */
    maxBytes: z.int().min(1).max(1_048_576).default(65_536),
  })
  .strict();

export type TcpCheckConfig = z.output<typeof schema>;

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** `tcp`: connects to host:port (optionally over TLS), optionally sends bytes and expects a reply. */
export const tcp = defineCheckKind({
  name: 'tcp',
  description: 'connect to a TCP port; optionally send bytes and expect a reply',
  schema,
  create(config) {
    const pattern =
      config.expectPattern === undefined ? undefined : new RegExp(config.expectPattern);
    return { run: (ctx) => runTcp(config, pattern, ctx) };
  },
});

async function runTcp(
  config: TcpCheckConfig,
  pattern: RegExp | undefined,
  ctx: CheckContext,
): Promise<CheckResult> {
  const start = ctx.clock.monotonic();
  const target = `${config.host}:${config.port}`;
  let socket: Socket | undefined;
  try {
    socket = await open(config, ctx);
    const connectedAt = elapsed(ctx, start);
    const phases = { connect: connectedAt };
    const wantsReply = config.expect !== undefined || pattern !== undefined;
    if (config.send !== undefined) socket.write(config.send);
    if (!wantsReply) return ok(`connected to ${target}`, elapsed(ctx, start), { phases });
    const reply = await readUntil(socket, config, pattern, ctx);
    const total = elapsed(ctx, start);
    if (matches(reply, config.expect, pattern))
      return ok(`${target} replied as expected`, total, { phases });
    return failed(
      `${target} replied ${JSON.stringify(reply.slice(0, 80))}, expected ${config.expect === undefined ? String(pattern) : JSON.stringify(config.expect)}`,
      total,
      { phases },
    );
  } catch (error) {
    return failed(describeError(error, target, ctx), elapsed(ctx, start));
  } finally {
    socket?.destroy();
  }
}

function open(config: TcpCheckConfig, ctx: CheckContext): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const tlsOptions =
      config.tls === false
        ? undefined
        : config.tls === true
          ? { rejectUnauthorized: true }
          : config.tls;
    const socket =
      tlsOptions === undefined
        ? netConnect({ host: config.host, port: config.port })
        : tlsConnect({
            host: config.host,
            port: config.port,
            ...sni(tlsOptions.servername ?? config.host),
            rejectUnauthorized: tlsOptions.rejectUnauthorized,
          });
    const onAbort = (): void => {
      socket.destroy();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once(tlsOptions === undefined ? 'connect' : 'secureConnect', () => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

/**
 * SNI for a host name; none for an IP address (RFC 6066 forbids it, and Node warns with DEP0123). The
 * certificate is still checked against the address.
 */
function sni(name: string): { servername?: string } {
  return isIP(name.replace(/^\[(.*)\]$/, '$1')) === 0 ? { servername: name } : {};
}

function matches(reply: string, expect: string | undefined, pattern: RegExp | undefined): boolean {
  return (
    (expect === undefined || reply.includes(expect)) &&
    (pattern === undefined || pattern.test(reply))
  );
}

function readUntil(
  socket: Socket,
  config: TcpCheckConfig,
  pattern: RegExp | undefined,
  ctx: CheckContext,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let bytes = 0;
    const finish = (): void => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(text);
    };
    const onAbort = (): void => reject(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      bytes += Buffer.byteLength(chunk);
      text += chunk;
      if (bytes >= config.maxBytes || matches(text, config.expect, pattern)) finish();
    });
    socket.once('end', finish);
    socket.once('close', finish);
    socket.once('error', (error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}
