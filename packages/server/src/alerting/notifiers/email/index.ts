import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { defineNotifier, type SendResult } from '../../notifier.js';
import { masker } from '../http.js';
import { truncate } from '../text.js';
import { secret } from '../url.js';
import { emailHtml, emailText } from './render.js';

const address = z.string().trim().min(3).regex(/@/, { message: 'is not an email address' });
const addresses = z.union([address.transform((a) => [a]), z.array(address).min(1)]);

const schema = z
  .strictObject({
    /** The SMTP server's host name or address. */
    host: z
      .string()
      .trim()
      .min(1)
      .regex(/^[^\s/:]+$/, { message: 'is a host name, without scheme or port' }),
    /** Default 465 with `secure`, else 587. */
    port: z.number().int().min(1).max(65_535).optional(),
    /** TLS from the first byte (port 465). Default false: plain, upgraded by STARTTLS when offered. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the server offers STARTTLS. Default false. */
    requireTLS: z.boolean().default(false),
    /** Verify the server's certificate. Default true. */
    tlsRejectUnauthorized: z.boolean().default(true),
    /** SMTP AUTH; omit for a relay that needs none. */
    auth: z.strictObject({ user: z.string().trim().min(1), pass: secret('auth.pass') }).optional(),
    /** The sender: `alerts@example.com` or `Vigil <alerts@example.com>`. */
    from: address,
    to: addresses,
    cc: addresses.optional(),
    /** Put before every subject. Default `[Vigil]`. */
    subjectPrefix: z.string().default('[Vigil]'),
  })
  .transform((c) => ({ ...c, port: c.port ?? (c.secure ? 465 : 587) }));
type EmailConfig = z.output<typeof schema>;

/** One email: subject, plain text and HTML (the envelope comes from the config at send). */
export interface EmailPayload {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** SMTP error codes a retry may get past: the connection, not the message, failed. */
const RETRYABLE_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EABORT',
  'EPROXY',
]);

function failure(error: unknown, config: EmailConfig, signal: AbortSignal): SendResult {
  const e = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const where = `email via ${config.host}:${config.port}`;
  const mask = masker([config.auth?.pass, config.auth?.user]);
  if (signal.aborted)
    return {
      ok: false,
      retryable: true,
      error: `${where}: aborted (timeout or shutdown) before the server answered`,
    };
  const code = typeof e.code === 'string' ? e.code : 'error';
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = truncate(String(typeof e.response === 'string' ? e.response : e.message), 200);
  // RFC 5321: 4yz replies are transient, 5yz permanent. A certificate the client refuses stays refused.
  const certificate = /certificate|self[- ]signed|CERT_/i.test(text);
  const retryable = reply !== undefined ? reply < 500 : RETRYABLE_CODES.has(code) && !certificate;
  const what = code === 'ECONNECTION' && /ECONNREFUSED/.test(text) ? 'connection refused' : text;
  return {
    ok: false,
    retryable,
    error: mask(`${where}: ${code}${reply === undefined ? '' : ` ${reply}`}: ${what}`),
  };
}

/** One SMTP connection for one send (no pool: alerts are rare, and a pool would hold a socket open). */
function transportFor(config: EmailConfig) {
  return createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTLS,
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    ...(config.auth === undefined
      ? {}
      : { auth: { user: config.auth.user, pass: config.auth.pass } }),
  });
}

/**
 * Email over SMTP (nodemailer): one message per alert message with a plain-text and an HTML part listing
 * each event and its facts. A 4xx reply or a lost connection is retryable; a 5xx reply or a failed login
 * is not.
 */
export const email = defineNotifier({
  type: 'email',
  description: 'Email over SMTP with a text and an HTML part',
  schema,
  render(message, config): EmailPayload[] {
    return [
      {
        subject: truncate(
          `${config.subjectPrefix === '' ? '' : `${config.subjectPrefix} `}${message.title}`,
          250,
        ),
        text: emailText(message),
        html: emailHtml(message),
      },
    ];
  },
  async send(payload, config, ctx) {
    let transport: ReturnType<typeof transportFor> | undefined;
    try {
      transport = transportFor(config);
      const info = await transport.sendMail({
        from: config.from,
        to: config.to,
        ...(config.cc === undefined ? {} : { cc: config.cc }),
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        signal: ctx.signal,
      });
      return {
        ok: true,
        detail: `accepted by ${config.host}:${config.port}: ${truncate(info.response, 100)}`,
      };
    } catch (error) {
      return failure(error, config, ctx.signal);
    } finally {
      transport?.close();
    }
  },
});
