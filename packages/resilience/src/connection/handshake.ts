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

/**
 * Runs the hook and reports the outcome, whether the hook returns a promise, a value, or throws at once.
 */
export function runHandshake<Req, Res>(
  hook: (session: HandshakeSession<Req, Res>) => Promise<void>,
  session: HandshakeSession<Req, Res>,
  done: () => void,
  failed: (error: Error) => void,
): void {
  let running: Promise<void>;
  try {
    running = Promise.resolve(hook(session));
  } catch (error) {
    running = Promise.reject(error);
  }
  running.then(done, (error: unknown) =>
    failed(error instanceof Error ? error : new Error(String(error))),
  );
}
