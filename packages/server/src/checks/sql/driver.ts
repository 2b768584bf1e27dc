import type { Socket } from 'node:net';
import type { SqlEndpoint } from './options.js';
import type { WireGuardOptions } from './wire-guard.js';

/** Where a SQL check run is: opening the session (TCP, TLS, handshake, auth) or running the query. */
export type Stage = 'connect' | 'query';

/** What a driver needs to open one connection. */
export interface OpenOptions {
  readonly endpoint: SqlEndpoint;
  /** TLS settings when `ssl` is on, or `undefined` for a plain connection. */
  readonly tls: SqlTls | undefined;
  /** A fresh, unconnected socket the driver must use (connecting it itself if its client needs). */
  readonly socket: Socket;
}

/** How to secure a connection: whether to verify the certificate (chain and host name), against which CA. */
export interface SqlTls {
  /** Verify the server's certificate and that it names the host (`verify-full`); `false` for `require`. */
  readonly verify: boolean;
  /** PEM text of the CA to trust instead of the system's. */
  readonly ca?: string;
}

/** Facts about the server, for a result's `details`. */
export interface ServerFacts {
  readonly version?: string;
  /** The TLS protocol of the connection (`TLSv1.3`), when encrypted. */
  readonly tls?: string;
}

/** One connection of a driver; used for one run and closed. */
export interface SqlConnection {
  /** Connects and authenticates. */
  connect(): Promise<ServerFacts>;
  /**
   * Runs `sql`; resolves with the first column of the first row returned, or `NO_ROWS`. The server is
   * asked to give up on it after `limitMs` (a little more than what is left of the check's timeout), so
   * a slow query does not run on after the check has left.
   */
  firstValue(sql: string, limitMs: number): Promise<unknown>;
  /** Says goodbye in the protocol and resolves when the server has closed the connection. */
  end(): Promise<void>;
  /** Cuts the connection at once (every socket it holds). Idempotent. */
  destroy(): void;
}

/** An error as a SQL check understands it, whatever the driver. */
export type ErrorClass =
  /** The server refused something (auth, unknown database, SQL error): its own words. */
  | { readonly kind: 'server'; readonly message: string }
  /** The server closed the connection without a word. */
  | { readonly kind: 'lost' }
  /** TLS was asked for and the server does not offer it. */
  | { readonly kind: 'no-ssl' }
  /** The TLS handshake failed (certificate not trusted, wrong host name, no common protocol). */
  | { readonly kind: 'tls'; readonly message: string };

/** A protocol's client, as the shared SQL check runner uses it. */
export interface SqlDriver {
  /** Human name of the protocol: `PostgreSQL`, `MySQL`. */
  readonly protocol: string;
  /** How its servers' first bytes look, on a plain connection or one that will ask for TLS. */
  wire(tls: boolean): Omit<WireGuardOptions, 'protocol'>;
  open(options: OpenOptions): SqlConnection;
  /** Classifies an error from this driver, or `undefined` for errors it does not know (system errors). */
  classify(error: unknown): ErrorClass | undefined;
}
