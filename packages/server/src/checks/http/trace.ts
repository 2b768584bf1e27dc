import type { Clock } from '@vigil/resilience';
import type { Phase } from '../check-kind.js';
import type { CertificateReport, OpenedSocket, SocketStage } from '../tls/index.js';

/** Where an http check run is: opening a connection, waiting for the response, or reading its body. */
export type HttpStage = Exclude<SocketStage, 'ready'> | 'response' | 'body';

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * What one run of an http check measured so far: the stage it is in (for timeout messages), the
 * connection phases of every socket it opened, time to first byte per hop and the body transfer.
 * Across redirects each phase is the sum over the hops, so the phases add up to about `total`.
 */
export class RunTrace {
  stage: HttpStage = 'dns';
  /** `host:port` of the connection being made or used. */
  target = '';
  /** The URL being requested (as shown in messages). */
  url = '';
  /** Bytes of the final body read so far. */
  bodyBytes = 0;
  /** The error a connection attempt ended with, as the connector saw it (undici may wrap it). */
  connectError: unknown;
  readonly certificates: CertificateReport[] = [];
  readonly #clock: Clock;
  readonly #sums: Partial<Record<Phase, number>> = {};
  readonly #knownCertificate: (target: string) => CertificateReport | undefined;
  #hopStart = 0;
  #readyAt = 0;
  #headersAt = 0;
  #openedInHop = false;

  /** `knownCertificate`: the certificate of a kept connection to `host:port`, for hops that reuse one. */
  constructor(
    clock: Clock,
    knownCertificate: (target: string) => CertificateReport | undefined = () => undefined,
  ) {
    this.#clock = clock;
    this.#knownCertificate = knownCertificate;
  }

  /**
   * A connection was opened, or refused for its certificate: adds its dns/connect/tls phases and keeps
   * its certificate.
   */
  opened(opened: Omit<OpenedSocket, 'socket'>): void {
    for (const [phase, ms] of Object.entries(opened.timing) as [Phase, number][])
      this.#add(phase, ms);
    if (opened.certificate !== undefined) this.certificates.push(opened.certificate);
    this.#openedInHop = true;
    this.#readyAt = this.#clock.monotonic();
    this.stage = 'response';
  }

  /** A request is about to be sent on a new or pooled connection. */
  requesting(url: string, target: string): void {
    this.url = url;
    this.target = target;
    this.stage = 'response';
    this.#hopStart = this.#clock.monotonic();
    this.#openedInHop = false;
  }

  /** Response headers arrived: time to first byte is counted from when the request could be sent. */
  responded(): void {
    if (!this.#openedInHop) {
      // A kept connection: no dns/connect/tls this hop, but its certificate still counts.
      const known = this.#knownCertificate(this.target);
      if (known !== undefined && !this.certificates.includes(known)) this.certificates.push(known);
    }
    this.#headersAt = this.#clock.monotonic();
    this.#add('ttfb', this.#headersAt - Math.max(this.#hopStart, this.#readyAt));
  }

  readingBody(): void {
    this.stage = 'body';
  }

  /** The final body was read (or cut): transfer is counted from its headers. */
  bodyDone(): void {
    this.#add('transfer', this.#clock.monotonic() - this.#headersAt);
  }

  /** The phases measured, with `total`. */
  phases(total: number): Readonly<Partial<Record<Phase, number>>> {
    const out: Partial<Record<Phase, number>> = {};
    for (const [phase, ms] of Object.entries(this.#sums) as [Phase, number][])
      out[phase] = round(ms);
    out.total = total;
    return out;
  }

  #add(phase: Phase, ms: number): void {
    this.#sums[phase] = (this.#sums[phase] ?? 0) + ms;
  }
}
