import { Agent } from 'undici';
import type { CertificateReport } from '../tls/index.js';
import { tracingConnector, type ConnectorOptions } from './connector.js';

/**
 * One http check's dispatcher, kept from run to run rather than made and destroyed each run (which cost
 * more CPU than the request itself). Without `keepAlive` every request asks for `Connection: close`, so
 * each run still opens, measures and closes a connection of its own. With `keepAlive` a connection is
 * reused as a real client reuses it: undici keeps an idle connection as long as the server announces
 * (`Keep-Alive: timeout=…`, less a margin) or 4 s when it announces nothing, so at a long interval many
 * servers still get a fresh one.
 *
 * A connection is opened for the run in progress and measured into its trace; the certificate of each
 * `host:port` is remembered, so a run on a reused connection still judges the certificate's expiry.
 * One run at a time: `acquire` returns undefined while another run holds it (the caller then uses a
 * dispatcher of its own for that run).
 */
export class KeptConnections {
  readonly #agent: Agent;
  readonly #certificates = new Map<string, CertificateReport>();
  #run: ConnectorOptions | undefined;
  #closed = false;

  constructor() {
    this.#agent = new Agent({
      connections: 1,
      connect: (target, callback) => {
        const run = this.#run;
        if (run === undefined) {
          callback(new Error('no http check run in progress to open a connection for'), null);
          return;
        }
        tracingConnector(run)(target, callback);
      },
    });
  }

  /** The dispatcher for a run that opens connections with `options`, or undefined when it is in use. */
  acquire(options: Omit<ConnectorOptions, 'remember'>): Agent | undefined {
    if (this.#run !== undefined || this.#closed) return undefined;
    this.#run = { ...options, remember: (target, cert) => this.#certificates.set(target, cert) };
    return this.#agent;
  }

  /** The run is over: connections opened from now on belong to the next one. */
  release(): void {
    this.#run = undefined;
  }

  /** The certificate last seen on a connection to `host:port`. */
  certificate(target: string): CertificateReport | undefined {
    return this.#certificates.get(target);
  }

  /** Closes every kept connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#agent.destroy().catch(() => undefined);
  }
}
