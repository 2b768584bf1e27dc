// The signature check of docs/notifiers.md, run against the webhook notifier: a receiver using it accepts
// what Vigil signs and refuses a tampered body or a wrong secret.
import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, expect, it } from 'vitest';
import { notifierTypes } from '../../packages/server/src/alerting/index.js';
import { alertEvent, alertMessage } from '../../packages/server/test/alert-events.js';
import { httpStub, type HttpStub } from '../../packages/server/test/http-stub.js';
import { verifyVigilSignature } from './verify-signature.js';

const SECRET = 'shared-secret-for-the-example';
let stub: HttpStub | undefined;
afterEach(async () => {
  await stub?.close();
});

it('a receiver verifying the signature accepts what Vigil signs, and only that', async () => {
  stub = await httpStub((req, res) => {
    const header = req.headers['x-vigil-signature'];
    const ok = verifyVigilSignature(req.body, Array.isArray(header) ? header[0] : header, SECRET);
    res.writeHead(ok ? 204 : 401).end();
  });
  const { webhook } = notifierTypes;
  const ctx = { signal: new AbortController().signal, clock: new FakeClock() };
  const send = async (secret: string) => {
    const config = webhook.schema.parse({ url: stub?.origin, secret });
    const [payload] = webhook.render(alertMessage([alertEvent('db')]), config);
    if (payload === undefined) throw new Error('no payload');
    return webhook.send(payload, config, ctx);
  };
  expect(await send(SECRET)).toMatchObject({ ok: true });
  expect(await send('another-secret')).toMatchObject({ ok: false, status: 401 });
  expect(verifyVigilSignature('{"tampered":true}', 'sha256=00', SECRET)).toBe(false);
});
