import { VigilError } from './vigil-error.js';

/**
 * The peer of a connection closed it, or it broke (reset, keepalive or ping timeout). `cause` is the
 * socket error when there was one; a clean close by the peer has none.
 */
export class PeerClosedError extends VigilError {
  readonly code = 'PEER_CLOSED' as const;
  readonly retryable = true;

  constructor(
    readonly target: string,
    options?: { readonly cause?: unknown },
  ) {
    const cause = options?.cause;
    super(
      cause === undefined
        ? `${target} closed the connection`
        : `connection to ${target} broke: ${describe(cause)}`,
      options,
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
