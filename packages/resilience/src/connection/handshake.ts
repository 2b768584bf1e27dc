/** What a handshake hook gets: a way to talk to the peer before anyone else does. */
export interface HandshakeSession<Req, Res> {
  /**
   * Sends `request` at once, ahead of the queue, and resolves with its reply (rejects with the codec's
   * reply error). Requests sent in the same tick are pipelined.
   */
  request(request: Req): Promise<Res>;
  /** `host:port` of the peer. */
  readonly where: string;
  /** Connect attempts in a row, this one included. */
  readonly attempt: number;
}
