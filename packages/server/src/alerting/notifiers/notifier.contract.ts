// The one test suite every notifier runs unchanged (STYLE.md, "Contract suites").
import { FakeClock } from '@vigil/resilience/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  T0,
  alertEvent,
  alertMessage,
  deepFrozen,
  manyEvents,
} from '../../../test/alert-events.js';
import { withoutLeaks } from '../../../test/leaks.js';
import { closedPort } from '../../../test/net-helpers.js';
import { httpStub, type StubRequest } from '../../../test/http-stub.js';
import type { Notifier, SendResult } from '../notifier.js';

/** How a receiver behaves for one contract case. */
export type Behaviour =
  'ok' | 'server-error' | 'client-error' | 'rate-limited' | 'hang' | 'refused';

/** A receiver started for one case. */
export interface ContractEndpoint {
  /** A raw config entry (before the schema) pointing at the receiver. */
  readonly config: unknown;
  /** Settles when the receiver has the request (or, for SMTP, the connection). */
  readonly received: Promise<void>;
  close(): Promise<void>;
}

/** What a notifier's test file gives the suite. */
export interface NotifierHarness<C, P> {
  readonly notifier: Notifier<C, P>;
  /** A raw config for render tests. */
  readonly sampleConfig: unknown;
  /** Every secret in the configs (tokens, keys, webhook URLs): never in a payload or an error. */
  readonly secrets: readonly string[];
  /** The config key holding an endpoint URL, to check a malformed one is refused. */
  readonly urlKey?: string;
  /** Starts a receiver that behaves as asked. */
  endpoint(behaviour: Behaviour): Promise<ContractEndpoint>;
  /**
   * The largest rendered message of 1,000 events, in JSON characters. Default 40,000: chat channels
   * list a few and count the rest; a webhook for machines may carry every event (`Infinity`).
   */
  readonly maxGroupChars?: number;
  /** Seconds a `rate-limited` receiver asks to wait; omit where the channel has no such thing (SMTP). */
  readonly retryAfterSeconds?: number;
}

/** A harness for HTTP notifiers: a local receiver on 127.0.0.1 answering as each case asks. */
export function httpHarness<C, P>(
  notifier: Notifier<C, P>,
  options: {
    /** A raw config pointing at `origin` (`http://127.0.0.1:<port>`). */
    readonly config: (origin: string) => unknown;
    readonly secrets: readonly string[];
    readonly urlKey: string;
    /** The receiver's success answer. Default 200 `{}`. */
    readonly okStatus?: number;
    readonly okBody?: string;
    readonly maxGroupChars?: number;
  },
): NotifierHarness<C, P> {
  return {
    notifier,
    sampleConfig: options.config('https://example.com'),
    secrets: options.secrets,
    urlKey: options.urlKey,
    retryAfterSeconds: 7,
    ...(options.maxGroupChars === undefined ? {} : { maxGroupChars: options.maxGroupChars }),
    async endpoint(behaviour) {
      if (behaviour === 'refused') {
        const port = await closedPort();
        return {
          config: options.config(`http://127.0.0.1:${port}`),
          received: new Promise(() => {}),
          close: () => Promise.resolve(),
        };
      }
      let arrived: () => void = () => {};
      const received = new Promise<void>((resolve) => (arrived = resolve));
      // Error answers echo the request path, headers and body, as careless receivers do: secrets must
      // be masked.
      const boring = new Set([
        'host',
        'connection',
        'content-length',
        'content-type',
        'user-agent',
      ]);
      const echo = (req: StubRequest) => {
        const headers = Object.entries(req.headers).filter(([name]) => !boring.has(name));
        return `rejected ${req.url} ${JSON.stringify(headers)} ${req.body.slice(0, 300)}`;
      };
      const stub = await httpStub((req, res) => {
        arrived();
        if (behaviour === 'hang') return;
        if (behaviour === 'ok') res.writeHead(options.okStatus ?? 200).end(options.okBody ?? '{}');
        else if (behaviour === 'server-error') res.writeHead(500).end(echo(req));
        else if (behaviour === 'client-error') res.writeHead(400).end(echo(req));
        else res.writeHead(429, { 'retry-after': '7' }).end(echo(req));
      });
      return { config: options.config(stub.origin), received, close: () => stub.close() };
    },
  };
}

/** Registers the contract tests for one notifier. */
export function notifierContract<C, P>(harness: NotifierHarness<C, P>): void {
  const { notifier } = harness;
  describe(`Notifier contract: ${notifier.type}`, () => {
    const open: ContractEndpoint[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((e) => e.close()));
    });
    const parse = (raw: unknown): C => notifier.schema.parse(raw);
    const noSecrets = (text: string) => {
      for (const s of harness.secrets) expect(text).not.toContain(s);
    };

    async function send(behaviour: Behaviour, onReceived?: (abort: () => void) => void) {
      const endpoint = await harness.endpoint(behaviour);
      open.push(endpoint);
      const config = parse(endpoint.config);
      const controller = new AbortController();
      if (onReceived !== undefined)
        void endpoint.received.then(() => onReceived(() => controller.abort()));
      const clock = new FakeClock({ startWall: T0 });
      const [payload] = notifier.render(alertMessage([alertEvent('db')]), config);
      if (payload === undefined) throw new Error('render gave no payload');
      const result = await notifier.send(payload, config, { signal: controller.signal, clock });
      noSecrets(result.ok ? (result.detail ?? '') : result.error);
      return result;
    }
    const failed = (result: SendResult) => {
      if (result.ok) throw new Error('expected a failure, got ok');
      return result;
    };

    it('has a type, a description and a schema that accepts the sample config', () => {
      expect(notifier.type).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(notifier.description.length).toBeGreaterThan(10);
      expect(notifier.schema.safeParse(harness.sampleConfig).success).toBe(true);
    });

    it('refuses an unknown key and a malformed URL, naming the key', () => {
      const sample = harness.sampleConfig as Record<string, unknown>;
      const typo = notifier.schema.safeParse({ ...sample, colour: 'red' });
      expect(typo.success).toBe(false);
      expect(JSON.stringify(typo.error?.issues)).toContain('colour');
      if (harness.urlKey === undefined) return;
      const bad = notifier.schema.safeParse({ ...sample, [harness.urlKey]: 'htp:/nowhere' });
      expect(bad.success).toBe(false);
      const issue = bad.error?.issues.find((i) => i.path[0] === harness.urlKey);
      expect(issue?.message).toContain('is not an http:// or https:// URL');
    });

    it('renders purely: deterministic, JSON-serialisable, input untouched, no secrets', () => {
      const config = parse(harness.sampleConfig);
      const message = deepFrozen(alertMessage([alertEvent('db'), alertEvent('api', 'resolve')]));
      const first = notifier.render(message, config);
      expect(first.length).toBeGreaterThan(0);
      expect(notifier.render(message, config)).toEqual(first);
      expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      noSecrets(JSON.stringify(first));
    });

    it('renders every kind of alert', () => {
      const config = parse(harness.sampleConfig);
      const kinds = [
        'trigger',
        'resolve',
        'degraded',
        'flapping',
        'flapping-resolved',
        'certificate',
        'reminder',
        'test',
      ] as const;
      for (const kind of kinds) {
        const payloads = notifier.render(alertMessage([alertEvent('db', kind)]), config);
        expect(payloads.length, kind).toBeGreaterThan(0);
        // The monitor by name, or (a bare resolve) by the dedup key the receiver pairs it with.
        expect(JSON.stringify(payloads), kind).toMatch(/db service|vigil-db/);
      }
    });

    it('renders a grouped message naming each monitor, and a huge group within bounds', () => {
      const config = parse(harness.sampleConfig);
      const three = notifier.render(alertMessage(manyEvents(3)), config);
      const text = JSON.stringify(three);
      for (const name of ['m0 service', 'm1 service', 'm2 service']) expect(text).toContain(name);
      const huge = notifier.render(alertMessage(manyEvents(1000)), config);
      expect(huge.length === 1 || huge.length === 1000).toBe(true);
      if (huge.length === 1) {
        expect(JSON.stringify(huge)).toMatch(/1000|more/);
        expect(JSON.stringify(huge).length).toBeLessThan(harness.maxGroupChars ?? 40_000);
      }
    });

    it('sends: a 2xx answer is ok', async () => {
      expect(await send('ok')).toMatchObject({ ok: true });
    });

    it('a server error is retryable', async () => {
      const result = failed(await send('server-error'));
      expect(result.retryable).toBe(true);
      expect(result.error).toMatch(/127\.0\.0\.1:\d+/);
    });

    it('a client error is not retryable', async () => {
      const result = failed(await send('client-error'));
      expect(result.retryable).toBe(false);
      expect(result.error).toMatch(/127\.0\.0\.1:\d+/);
    });

    if (harness.retryAfterSeconds !== undefined) {
      const seconds = harness.retryAfterSeconds;
      it('a rate limit is retryable after the time the receiver asks', async () => {
        const result = failed(await send('rate-limited'));
        expect(result).toMatchObject({
          retryable: true,
          status: 429,
          retryAfterMs: seconds * 1000,
        });
      });
    }

    it('a receiver that hangs is cut off by the signal, retryable, and no socket is left open', async () => {
      const result = await withoutLeaks(async () => {
        const sent = failed(await send('hang', (abort) => abort()));
        await Promise.all(open.splice(0).map((e) => e.close()));
        return sent;
      });
      expect(result.retryable).toBe(true);
      expect(result.error).toMatch(/abort|timed out/);
    });

    it('a refused connection is retryable', async () => {
      const result = failed(await send('refused'));
      expect(result.retryable).toBe(true);
      expect(result.error).toMatch(/127\.0\.0\.1:\d+/);
    });
  });
}
