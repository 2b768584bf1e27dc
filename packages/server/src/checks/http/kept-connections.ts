import type { Socket } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import type { CertificateReport } from '../tls/index.js';
import { tracingConnector, type ConnectorOptions } from './connector.js';

/** What a run sends its requests through: one undici client per origin (see `KeptConnections`). */
export interface HttpDispatcher {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/** Origins (the check's own and those it is redirected to) whose client a check keeps at most. */
const MAX_ORIGINS = 8;

/**
 * One http check's connections, kept from run to run: an undici `Client` per origin, made once (making
 * and destroying a dispatcher every run cost more CPU than the request itself).
 *
 * Without `keepAlive`, every run opens a connection of its own, measures it, and Vigil closes it when
 * the run ends. (Asking undici for `Connection: close` instead makes it build and format an error for
 * every response, which doubled the CPU of a run.) With `keepAlive`, a connection is reused as a real
 * client reuses it: undici keeps an idle connection as long as the server announces (`Keep-Alive:
 * timeout=…`, less a margin) or 4 s when it announces nothing, so at a long interval many servers still
 * get a fresh one.
 *
 * Connections are opened for the run in progress and measured into its trace; the certificate of each
 * `host:port` is remembered, so a run on a reused connection still judges the certificate's expiry.
 * One run at a time: `acquire` returns undefined while another run holds it (the caller then uses
 * `KeptConnections` of its own for that run, and closes them after it).
 */
export class KeptConnections implements HttpDispatcher {
  readonly #keepAlive: boolean;
  readonly #clients = new Map<string, Client>();
  readonly #certificates = new Map<string, CertificateReport>();
  /** Without keep-alive: the sockets opened for the run in progress, closed when it ends. */
  readonly #opened: Socket[] = [];
  #run: ConnectorOptions | undefined;
  readonly #remember = (target: string, certificate: CertificateReport): void => {
    this.#certificates.set(target, certificate);
  };
  /** Counts runs, so that a connection finishing its open after its run ended is not kept. */
  #generation = 0;
  #closed = false;

  constructor(keepAlive: boolean) {
    this.#keepAlive = keepAlive;
  }

  /** The dispatcher for a run that opens connections with `options`, or undefined when it is in use. */
  acquire(options: ConnectorOptions): HttpDispatcher | undefined {
    if (this.#run !== undefined || this.#closed) return undefined;
    this.#run = options;
    return this;
  }

  /** The run is over: without keep-alive its connections close; new ones belong to the next run. */
  release(): void {
    this.#run = undefined;
    this.#generation += 1;
    for (const socket of this.#opened.splice(0)) socket.destroy();
  }

  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    return this.#client(String(options.origin)).request(options);
  }

  /** The certificate last seen on a connection to `host:port`. */
  certificate(target: string): CertificateReport | undefined {
    return this.#certificates.get(target);
  }

  /** Closes every kept connection. */
  async close(): Promise<void> {
    this.#closed = true;
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
  }

  #client(origin: string): Client {
    let client = this.#clients.get(origin);
    if (client !== undefined) return client;
    if (this.#clients.size >= MAX_ORIGINS) {
      // The least recently made; a redirect chain that wanders over many origins is the only way here.
      const [oldest, dropped] = this.#clients.entries().next().value as [string, Client];
      this.#clients.delete(oldest);
      void dropped.close().catch(() => undefined);
    }
    client = new Client(origin, { connect: (target, callback) => this.#connect(target, callback) });
    // A connection that fails or closes is reported to the request it served; nothing is left for here.
    client.on('connectionError', () => undefined);
    this.#clients.set(origin, client);
    return client;
  }

  #connect(...[target, callback]: Parameters<ReturnType<typeof tracingConnector>>): void {
    const run = this.#run;
    if (run === undefined) {
      callback(new Error('no http check run in progress to open a connection for'), null);
      return;
    }
    const generation = this.#generation;
    tracingConnector(run, this.#remember)(target, (...args) => {
      const [, socket] = args;
      if (socket === null) {
        callback(...args);
      } else if (generation !== this.#generation) {
        socket.destroy();
        callback(new Error('the http check run this connection was opened for has ended'), null);
      } else {
        if (!this.#keepAlive) this.#opened.push(socket);
        callback(null, socket);
      }
    });
  }
}
