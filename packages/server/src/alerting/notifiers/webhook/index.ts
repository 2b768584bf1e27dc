import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineNotifier } from '../../notifier.js';
import { headerName, headerRecord } from '../headers.js';
import { sendHttp } from '../http.js';
import { endpointUrl, secret, urlSecrets } from '../url.js';
import { fillTemplate, templateFields, templateProblems, templateValues } from './template.js';

export { templateFields } from './template.js';

const schema = z
  .strictObject({
    /** Where the JSON is sent. */
    url: endpointUrl,
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    /** Extra request headers (an `Authorization` header, say); their values never appear in errors. */
    headers: headerRecord.default({}),
    /** The JSON body with `{{field}}` placeholders; default: the message as is. */
    template: z.json().optional(),
    /** One request per event instead of one per message. */
    perEvent: z.boolean().default(false),
    /** Signs the body with HMAC-SHA256 under this key; the signature goes in `signatureHeader`. */
    secret: secret('secret').optional(),
    signatureHeader: headerName.default('X-Vigil-Signature'),
  })
  .superRefine((config, ctx) => {
    for (const problem of templateProblems(config.template, ['template']))
      ctx.addIssue({
        code: 'custom',
        path: problem.path,
        message: `unknown field "{{${problem.field}}}" in the template; known fields: ${templateFields.join(', ')}`,
      });
  });

/** What the webhook sends: the filled-in JSON body. */
export interface WebhookPayload {
  readonly body: unknown;
}

/** `sha256=<hex HMAC-SHA256 of the body>`, the value of the signature header. */
export function webhookSignature(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * A generic JSON webhook: the body comes from a template with `{{field}}` placeholders (checked at
 * config load) or is the message itself; custom headers; an optional HMAC-SHA256 signature header.
 */
export const webhook = defineNotifier({
  type: 'webhook',
  description: 'JSON to any HTTP endpoint, from a template, optionally signed (HMAC-SHA256)',
  schema,
  render(message, config): WebhookPayload[] {
    if (config.template === undefined) {
      const events = config.perEvent ? message.events.map((e) => [e]) : [message.events];
      return events.map((group) => ({ body: { ...message, events: group } }));
    }
    const template = config.template;
    const focus = config.perEvent ? message.events : message.events.slice(0, 1);
    return focus.map((event) => ({
      body: fillTemplate(template, templateValues(message, event)),
    }));
  },
  send(payload, config, ctx) {
    const body = JSON.stringify(payload.body);
    const headers: Record<string, string> = { ...config.headers };
    if (config.secret !== undefined)
      headers[config.signatureHeader] = webhookSignature(body, config.secret);
    return sendHttp(
      {
        service: 'webhook',
        url: config.url,
        method: config.method,
        headers,
        body,
        secrets: [config.secret, ...Object.values(config.headers), ...urlSecrets(config.url)],
      },
      ctx,
    );
  },
});
